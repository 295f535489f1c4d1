"""Production settings come from the environment: the variables docs/deploy.md documents pass
`manage.py check --deploy` with no warnings, every variable the settings read is documented, and
with nothing set DEBUG is off."""

import os
import re
import secrets
import subprocess
import sys

from django.conf import settings

from tests.conftest import PROJECT_ROOT

DEPLOY_DOC = PROJECT_ROOT / "docs" / "deploy.md"
SETTINGS = PROJECT_ROOT / "cai_audit" / "settings.py"


def production_section() -> str:
    text = DEPLOY_DOC.read_text()
    return text[text.index("## Production variables") :]


def documented_environment() -> dict[str, str]:
    """The variables of the example block under "Production variables", a fresh SECRET_KEY."""
    block = production_section().split("```sh\n", 1)[1].split("```", 1)[0]
    variables = {}
    for line in block.splitlines():
        line = line.split("  #", 1)[0].strip()
        if line and not line.startswith("#"):
            name, value = line.split("=", 1)
            variables[name] = value
    variables["SECRET_KEY"] = secrets.token_urlsafe(50)
    return variables


def run_manage(
    args: list[str], environment: dict[str, str], tmp_path
) -> subprocess.CompletedProcess:
    base = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_ROOT,
        env={**base, "CAI_VAR_DIR": str(tmp_path / "var"), **environment},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_documented_production_variables_pass_check_deploy(tmp_path):
    environment = documented_environment()
    assert environment["DEBUG"] == "false" and environment["CAI_HTTPS"] == "true"
    result = run_manage(["check", "--deploy", "--fail-level", "WARNING"], environment, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_without_https_variables_check_deploy_names_what_is_missing(tmp_path):
    environment = documented_environment()
    for name in ("CAI_HTTPS", "SECURE_HSTS_PRELOAD", "CAI_BEHIND_TLS_PROXY"):
        environment.pop(name)
    result = run_manage(["check", "--deploy", "--fail-level", "WARNING"], environment, tmp_path)
    assert result.returncode != 0
    for check in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert check in result.stderr, check


def test_debug_is_off_unless_asked_for_and_then_a_secret_key_is_required(tmp_path):
    code = "from django.conf import settings; print(settings.DEBUG)"
    refused = run_manage(["shell", "-c", code], {}, tmp_path)  # nothing set, as on a fresh box
    assert refused.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in refused.stderr
    keyed = run_manage(["shell", "-c", code], {"SECRET_KEY": secrets.token_urlsafe(50)}, tmp_path)
    assert keyed.stdout.strip().endswith("False"), keyed.stderr
    asked = run_manage(["shell", "-c", code], {"DEBUG": "true"}, tmp_path)
    assert asked.stdout.strip().endswith("True"), asked.stderr


def test_the_test_suite_runs_with_debug_off():
    assert os.environ["DEBUG"] == "false" and not settings.DEBUG


def test_every_variable_the_settings_read_is_documented():
    source = SETTINGS.read_text()
    names = set(re.findall(r'(?:environ\.get|env_bool|env_list)\(\s*"([A-Z][A-Z0-9_]*)"', source))
    assert {"DEBUG", "SECRET_KEY", "CAI_HTTPS", "DATABASE_URL"} <= names
    section = production_section()
    missing = sorted(name for name in names if f"`{name}`" not in section)
    assert not missing, f"Document these in docs/deploy.md (Production variables): {missing}"
