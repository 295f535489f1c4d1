"""A red-team run goes through a real Celery worker: preparation, then its batches, on the
`labeling` queue."""

import pytest

from redteam.models import Run
from redteam.services.runs import run_create
from tests.conftest import wait_until

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


def test_a_run_with_two_operators_finishes_through_a_real_worker(
    worker_env, suite, version, models
):
    worker_env("redteamer")
    run = run_create(
        actor=None, suite=suite, constitution_version=version, target=models["unsafe-on-weapons"],
        critic=models["judge"], operators=["role_play", "payload_splitting"], case_limit=3,
        batch_size=8,
    )  # fmt: skip
    wait_until(lambda: Run.objects.get(pk=run.pk).is_finished, 90, "the run did not finish")
    run.refresh_from_db()
    assert run.status == Run.Status.DONE, run.error
    # 3 seeds per category and kind (9 harmful, 3 benign) and 9 x 2 variants.
    assert run.total_units == 30 and run.responses.exclude(verdict="").count() == 30
    assert run.total_batches == 4 and not run.batches.exclude(status="done").exists()
