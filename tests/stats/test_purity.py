"""The statistics package sits below every app: importing it loads no Django and no app."""

import subprocess
import sys

APPS = ("cai_audit", "config", "constitutions", "labeling", "reviews", "redteam", "training")


def test_importing_stats_loads_neither_django_nor_any_app():
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, stats; print(' '.join(sorted(sys.modules)))"],
        capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    roots = {name.split(".")[0] for name in loaded}
    assert "django" not in roots
    assert not roots & {*APPS, "dashboards"}


def test_importing_stats_leaves_statsmodels_for_the_one_function_that_needs_it():
    """statsmodels (and the pandas it brings) is ~60 MB of modules; every web and export process
    imports `stats`, and only Holm's correction uses statsmodels."""
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, stats; print(' '.join(sorted(sys.modules)))"],
        capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    assert not {name.split(".")[0] for name in loaded} & {"statsmodels", "pandas"}
