"""Importing settings makes no folders; the SQLite and filesystem-broker folders are made where
they are used, so a fresh clone (no var/) still starts, migrates and queues work."""

import os
import subprocess
import sys

from tests.conftest import PROJECT_ROOT


def run_python(code: str, var_dir) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "CELERY_BROKER_URL", "CAI_MODEL_CACHE")
        and not key.startswith(("CAI_SNAPSHOT", "CAI_TRAINING"))
    }
    env.update(CAI_VAR_DIR=str(var_dir), DJANGO_SETTINGS_MODULE="cai_audit.settings")
    return subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_ROOT, env=env, capture_output=True,
        text=True, timeout=120,
    )  # fmt: skip


def test_importing_settings_makes_no_folder(tmp_path):
    var_dir = tmp_path / "var"
    result = run_python("import cai_audit.settings", var_dir)
    assert result.returncode == 0, result.stderr
    assert not var_dir.exists()


def test_the_sqlite_and_broker_folders_are_made_when_used(tmp_path):
    var_dir = tmp_path / "var"
    code = (
        "import django; django.setup()\n"
        "from django.db import connection; connection.ensure_connection()\n"
        "from cai_audit.celery import app\n"
        "app.send_task('cai_audit.nothing', queue='default')\n"
    )
    result = run_python(code, var_dir)
    assert result.returncode == 0, result.stderr
    assert (var_dir / "db.sqlite3").is_file()
    assert len(list((var_dir / "broker" / "queue").iterdir())) == 1  # the message, queued
