"""Red-team work whose worker died or gave up: a matchup whose task fails ends failed (never
queued for ever), lost preparations, batches and matchups are handed out again by the sweep,
and people requeue a stuck run or a failed comparison from the run page and the API."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from cai_audit.errors import DomainError
from cai_audit.leases import WORKERS_LOST_LIMIT
from cai_audit.models import AuditEvent
from labeling.models import CriticConfig
from redteam.models import Batch, Matchup, Run, Suite
from redteam.services.matchups import (
    matchup_mark_failed,
    matchup_process,
    matchup_requeue,
    matchups_requeue_lost,
)
from redteam.services.recovery import redteam_sweep, run_requeue_stuck
from redteam.services.runs import run_prepare
from tests.conftest import logged_in
from tests.support.broker import broker_flush, queued_tasks

pytestmark = pytest.mark.django_db
LONG_AGO = timedelta(minutes=10)


@pytest.fixture
def broker():
    broker_flush()
    yield
    broker_flush()


@pytest.fixture
def judge(db):
    return CriticConfig.objects.create(name="judge", backend="transformers", model="/models/j")


def _run(version, judge, suite=None, **fields) -> Run:
    suite = suite or Suite.objects.create(name="suite")
    return Run.objects.create(
        suite=suite, constitution_version=version, target=judge, judge=judge,
        temperatures=[0.0], **fields,
    )  # fmt: skip


@pytest.fixture
def matchup(version, judge):
    run_x = _run(version, judge, status=Run.Status.DONE)
    run_y = _run(version, judge, suite=run_x.suite, status=Run.Status.DONE)
    return Matchup.objects.create(run_x=run_x, run_y=run_y, judge=judge)


def _worker_died(model, pk, **fields) -> None:
    then = timezone.now() - LONG_AGO
    model.objects.filter(pk=pk).update(heartbeat_at=then, **fields)


def test_a_matchup_whose_task_gives_up_ends_failed_with_the_error(matchup):
    matchup_mark_failed(matchup_id=matchup.pk, error="OSError: no model folder at /models/j")
    matchup.refresh_from_db()
    assert matchup.status == "failed" and matchup.error.startswith("OSError")
    assert matchup.finished_at is not None
    matchup_mark_failed(matchup_id=matchup.pk, error="a late second failure")
    assert Matchup.objects.get(pk=matchup.pk).error.startswith("OSError")  # first one kept


def test_a_matchup_a_live_worker_is_judging_is_not_judged_twice(matchup):
    Matchup.objects.filter(pk=matchup.pk).update(heartbeat_at=timezone.now())
    # A redelivered message: the claim sees the fresh heartbeat and leaves it alone.
    assert matchup_process(matchup_id=matchup.pk) == 0
    assert Matchup.objects.get(pk=matchup.pk).status == "queued"


def test_the_sweep_hands_a_lost_matchup_out_again_then_fails_it(
    matchup, broker, django_capture_on_commit_callbacks
):
    _worker_died(Matchup, matchup.pk, started_at=timezone.now() - LONG_AGO)
    with django_capture_on_commit_callbacks(execute=True):
        assert matchups_requeue_lost() == 1
    matchup.refresh_from_db()
    assert (matchup.status, matchup.workers_lost, matchup.heartbeat_at) == ("queued", 1, None)
    assert queued_tasks("labeling") == [("redteam.tasks.judge_matchup", (matchup.pk,))]
    _worker_died(Matchup, matchup.pk, workers_lost=WORKERS_LOST_LIMIT - 1)
    matchups_requeue_lost()
    matchup.refresh_from_db()
    assert matchup.status == "failed" and "lost 3 times" in matchup.error


def test_a_failed_comparison_is_requeued_and_audited(
    matchup, researcher, broker, django_capture_on_commit_callbacks
):
    matchup_mark_failed(matchup_id=matchup.pk, error="BackendError: judge server down")
    with django_capture_on_commit_callbacks(execute=True):
        matchup_requeue(actor=researcher, matchup=matchup)
    matchup.refresh_from_db()
    assert (matchup.status, matchup.error, matchup.finished_at) == ("queued", "", None)
    assert queued_tasks("labeling") == [("redteam.tasks.judge_matchup", (matchup.pk,))]
    assert AuditEvent.objects.filter(action="redteam.matchup_requeued", actor=researcher).exists()


def test_a_done_or_live_comparison_is_not_requeued_and_reviewers_may_not(
    matchup, researcher, reviewer
):
    with pytest.raises(PermissionDenied):
        matchup_requeue(actor=reviewer, matchup=matchup)
    Matchup.objects.filter(pk=matchup.pk).update(heartbeat_at=timezone.now())
    with pytest.raises(DomainError, match="live worker is judging"):
        matchup_requeue(actor=researcher, matchup=matchup)
    Matchup.objects.filter(pk=matchup.pk).update(status="done")
    with pytest.raises(DomainError, match="is done"):
        matchup_requeue(actor=researcher, matchup=matchup)


def test_comparisons_are_requeued_from_the_run_page_and_the_api(
    matchup, researcher, reviewer, broker, django_capture_on_commit_callbacks
):
    matchup_mark_failed(matchup_id=matchup.pk, error="BackendError: judge server down")
    page_url = reverse("redteam:run", args=[matchup.run_x_id])
    requeue_url = reverse("redteam:matchup_requeue", args=[matchup.run_x_id, matchup.pk])
    client = logged_in(researcher)
    assert requeue_url in client.get(page_url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(requeue_url, follow=True).content.decode()
    assert "Comparison queued again." in page
    assert Matchup.objects.get(pk=matchup.pk).status == "queued"

    matchup_mark_failed(matchup_id=matchup.pk, error="BackendError: judge server down")
    api = APIClient()
    api.force_authenticate(reviewer)
    url = f"/api/redteam-runs/{matchup.run_y_id}/matchups/{matchup.pk}/requeue/"
    assert api.post(url).status_code == 403
    api.force_authenticate(researcher)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(url)
    assert response.status_code == 200 and response.json()["status"] == "queued"
    other = _run(
        matchup.run_x.constitution_version, matchup.judge, suite=matchup.run_x.suite,
        status=Run.Status.DONE,
    )  # fmt: skip
    assert api.post(f"/api/redteam-runs/{other.pk}/matchups/{matchup.pk}/requeue/").status_code == (
        404
    )


def test_a_preparation_a_live_worker_holds_is_not_taken_and_a_lost_one_is_queued_again(
    version, judge, broker, django_capture_on_commit_callbacks
):
    run = _run(version, judge, status=Run.Status.PREPARING, started_at=timezone.now())
    Run.objects.filter(pk=run.pk).update(heartbeat_at=timezone.now())
    assert run_prepare(run_id=run.pk).status == "preparing"  # left to its live worker
    assert not Batch.objects.filter(run=run).exists()
    _worker_died(Run, run.pk)
    with django_capture_on_commit_callbacks(execute=True):
        assert redteam_sweep() == 1
    run.refresh_from_db()
    assert (run.status, run.workers_lost, run.heartbeat_at) == ("preparing", 1, None)
    assert queued_tasks("labeling") == [("redteam.tasks.prepare_run", (run.pk,))]


def test_the_sweep_hands_out_lost_red_team_batches_again(
    version, judge, broker, django_capture_on_commit_callbacks
):
    run = _run(version, judge, status=Run.Status.RUNNING, total_batches=2)
    lost = Batch.objects.create(run=run, index=0, units=[], status="running",
                                started_at=timezone.now() - LONG_AGO)  # fmt: skip
    Batch.objects.create(run=run, index=1, units=[], status="done")
    _worker_died(Batch, lost.pk)
    with django_capture_on_commit_callbacks(execute=True):
        assert redteam_sweep() == 1
    assert Batch.objects.get(pk=lost.pk).status == "pending"
    assert queued_tasks("labeling") == [("redteam.tasks.process_batch", (lost.pk,))]


def test_a_stuck_run_is_requeued_from_its_page_and_the_api(
    version, judge, researcher, reviewer, broker, django_capture_on_commit_callbacks
):
    run = _run(version, judge, status=Run.Status.RUNNING, total_batches=2)
    lost = Batch.objects.create(run=run, index=0, units=[], status="running",
                                started_at=timezone.now() - LONG_AGO)  # fmt: skip
    waiting = Batch.objects.create(run=run, index=1, units=[])
    _worker_died(Batch, lost.pk)
    client = logged_in(researcher)
    assert (
        "Requeue stuck batches"
        in client.get(reverse("redteam:run", args=[run.pk])).content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(reverse("redteam:run_requeue", args=[run.pk]), follow=True)
    assert "Queued 2 batch(es) again (1 whose worker was lost, 1 waiting)" in page.content.decode()
    assert sorted(args for _, args in queued_tasks("labeling")) == [(lost.pk,), (waiting.pk,)]

    api = APIClient()
    api.force_authenticate(reviewer)
    assert api.post(f"/api/redteam-runs/{run.pk}/requeue/").status_code == 403
    api.force_authenticate(researcher)
    Batch.objects.filter(pk__in=[lost.pk, waiting.pk]).update(
        status="running", heartbeat_at=timezone.now()
    )
    refused = api.post(f"/api/redteam-runs/{run.pk}/requeue/")
    assert refused.status_code == 400 and "Nothing is stuck" in refused.json()["detail"]
    Run.objects.filter(pk=run.pk).update(status=Run.Status.QUEUED)
    with django_capture_on_commit_callbacks(execute=True):
        queued = api.post(f"/api/redteam-runs/{run.pk}/requeue/")
    assert queued.status_code == 200 and "preparation" in queued.json()["detail"]
    assert ("redteam.tasks.prepare_run", (run.pk,)) in queued_tasks("labeling")


def test_a_run_requeue_needs_the_permission_to_start_runs(version, judge, reviewer):
    run = _run(version, judge, status=Run.Status.QUEUED)
    with pytest.raises(PermissionDenied):
        run_requeue_stuck(actor=reviewer, run=run)
