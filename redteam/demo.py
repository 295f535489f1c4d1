"""Demo red-teaming: the shipped suite (written for this project), set to re-run whenever a
constitution version is published, and a first run against the shipped model queued for the
worker, so a later run has something to be compared with."""

from pathlib import Path

from labeling.services.critics import critic_config_default

from .models import Suite
from .services.runs import run_create
from .services.suites import suite_import, suite_settings_update

SUITE_FILE = Path(__file__).resolve().parent / "data" / "demo_suite.jsonl"
SUITE_NAME = "Demo red-team suite"


def demo_redteam_load(*, owner, version) -> Suite:
    """Idempotent: an existing demo suite is returned as it is."""
    existing = Suite.objects.filter(name=SUITE_NAME).first()
    if existing is not None:
        return existing
    suite = suite_import(
        actor=owner, name=SUITE_NAME, data=SUITE_FILE.read_bytes(), filename=SUITE_FILE.name,
        description="64 harmful-intent prompts over 8 harm categories and 33 benign prompts "
        "that only sound risky, each linked to principle codes. Written for CAI Audit at the "
        "level of public red-team benchmarks: no operational detail in any case.",
    )  # fmt: skip
    model = critic_config_default()
    suite_settings_update(
        actor=owner, suite=suite, run_on_publish=True, run_on_release=False,
        regression_target=model, regression_judge=model, regression_operators=["role_play"],
        regression_temperatures=[0.0],
    )  # fmt: skip
    run_create(actor=owner, suite=suite, constitution_version=version, target=model, judge=model)
    return suite
