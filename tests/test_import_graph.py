"""The house's layers hold: no app imports a higher one, not even inside a function. The
contract lives in pyproject.toml ([tool.importlinter]); `lint-imports` checks it from the source,
without importing anything."""

import re
import subprocess
import sys
import tomllib
from pathlib import Path

from tests.conftest import PROJECT_ROOT

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
COLOURS = re.compile(r"\x1b\[[0-9;]*m")


def lint_imports(root: Path, config: Path) -> subprocess.CompletedProcess:
    """Run the checker; its report (stdout) without colour codes."""
    result = subprocess.run(
        [str(LINT_IMPORTS), "--config", str(config), "--no-cache"],
        cwd=root, capture_output=True, text=True, timeout=120,
        env={"PYTHONPATH": str(root), "PATH": str(LINT_IMPORTS.parent)},
    )  # fmt: skip
    result.stdout = COLOURS.sub("", result.stdout)
    return result


def test_no_app_imports_a_higher_one():
    result = lint_imports(PROJECT_ROOT, PROJECT_ROOT / "pyproject.toml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert " 0 broken" in result.stdout


def test_the_contracts_catch_an_upward_import_inside_a_function(tmp_path):
    """The same contracts, over a stand-in tree where constitutions reaches up into redteam the
    way it used to (inside a function) and stats imports Django: the check fails and names
    both imports."""
    contract = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    for package in contract["root_packages"]:
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
    (tmp_path / "redteam" / "triggers.py").write_text("def start():\n    pass\n")
    (tmp_path / "constitutions" / "services.py").write_text(
        "def publish():\n    from redteam.triggers import start\n\n    start()\n"
    )
    (tmp_path / "dashboards" / "views.py").write_text("import reviews\nimport cai_audit\n")
    (tmp_path / "stats" / "agreement.py").write_text("from django.db import models\n")
    result = lint_imports(tmp_path, PROJECT_ROOT / "pyproject.toml")
    assert result.returncode == 1
    assert "constitutions is not allowed to import redteam" in result.stdout
    assert "constitutions.services -> redteam.triggers" in result.stdout
    report = result.stdout.split("Broken contracts")[1]
    assert "dashboards" not in report  # downward is fine
    assert "stats is not allowed to import django" in report  # the statistics stay pure
