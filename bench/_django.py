"""Set up Django for a benchmark script against its own PostgreSQL database."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
BENCH_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/cai_audit_bench"


def setup(database_url: str | None = None) -> None:
    """Point Django at the bench database (created and migrated if needed)."""
    url = database_url or os.environ.get("BENCH_DATABASE_URL") or BENCH_DATABASE_URL
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cai_audit.settings")
    # Measured as production runs: DEBUG off (it would also log every query), so a throwaway key.
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret-5d0c9a7e3b1f8642a0c4e6b2d8f1a3c5")
    sys.path.insert(0, str(ROOT))
    name = url.rsplit("/", 1)[1]
    exists = subprocess.run(
        ["psql", url.rsplit("/", 1)[0] + "/postgres", "-tAc",
         f"SELECT 1 FROM pg_database WHERE datname='{name}'"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    if not exists:
        subprocess.run(
            ["psql", url.rsplit("/", 1)[0] + "/postgres", "-c", f'CREATE DATABASE "{name}"'],
            check=True, capture_output=True,
        )  # fmt: skip
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def write_results(topic: str, figures: dict) -> Path:
    """Merge flat metric figures into bench/results/<topic>.json."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{topic}.json"
    current = json.loads(path.read_text()) if path.exists() else {}
    current.update(figures)
    path.write_text(json.dumps(current, indent=2, sort_keys=True) + "\n")
    return path
