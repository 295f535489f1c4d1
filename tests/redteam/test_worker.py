"""A red-team run goes through a real Celery worker: preparation, then its batches, on the
`labeling` queue; a comparison whose task fails ends failed."""

import pytest

from labeling.models import CriticConfig
from redteam.models import Matchup, Run
from redteam.services.matchups import matchup_create
from redteam.services.processing import run_process_here
from redteam.services.runs import run_create
from tests.conftest import wait_until

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


def test_a_run_with_two_operators_finishes_through_a_real_worker(
    worker_env, suite, version, models
):
    worker_env("redteamer")
    run = run_create(
        actor=None, suite=suite, constitution_version=version, target=models["unsafe-on-weapons"],
        judge=models["judge"], operators=["role_play", "payload_splitting"], case_limit=3,
        batch_size=8,
    )  # fmt: skip
    wait_until(lambda: Run.objects.get(pk=run.pk).is_finished, 90, "the run did not finish")
    run.refresh_from_db()
    assert run.status == Run.Status.DONE, run.error
    # 3 seeds per category and kind (9 harmful, 3 benign) and 9 x 2 variants.
    assert run.total_units == 30 and run.responses.exclude(verdict="").count() == 30
    assert run.total_batches == 4 and not run.batches.exclude(status="done").exists()


def test_a_matchup_whose_task_fails_ends_failed_not_queued(worker_env, suite, version, models):
    runs = []
    for target in ("safe", "unsafe-on-weapons"):
        run = run_create(
            actor=None, suite=suite, constitution_version=version, target=models[target],
            judge=models["judge"], case_limit=1, enqueue=False,
        )  # fmt: skip
        runs.append(run_process_here(run_id=run.pk))
    # A judge whose model folder is gone: loading it fails, and no retry can fix that.
    gone = CriticConfig.objects.create(
        name="gone", backend="transformers", model="/nonexistent/judge-model"
    )
    matchup = matchup_create(actor=None, run_x=runs[1], run_y=runs[0], judge=gone)
    worker_env("judge")
    wait_until(lambda: Matchup.objects.get(pk=matchup.pk).status != "queued", 90, "still queued")
    matchup.refresh_from_db()
    assert matchup.status == "failed" and matchup.finished_at is not None
    assert "judge-model" in matchup.error and matchup.heartbeat_at is None
