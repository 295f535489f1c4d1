"""A batch whose worker died is handed out again: a live worker's heartbeat keeps its batch,
a stale one lets the sweep (which every worker runs) queue it again, skip it or fail it; people
requeue stuck batches from the run page and the API."""

import time
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from cai_audit.errors import DomainError
from cai_audit.leases import WORKERS_LOST_LIMIT, stale_work_register, stale_work_sweep
from cai_audit.models import AuditEvent
from cai_audit.work.batches import batch_claim, batch_lease
from labeling.models import LabelingRun, RunBatch
from labeling.services.recovery import labeling_sweep, run_requeue_stuck
from labeling.services.runs import run_create
from tests.conftest import logged_in
from tests.support.broker import broker_flush, queued_tasks

pytestmark = pytest.mark.django_db
PROCESS_BATCH = "labeling.tasks.process_batch"


@pytest.fixture
def run(published, pairs, tiny_critic, editor):
    """A preference run of 8 pairs in 3 batches; nothing is queued (no commit in these tests)."""
    return run_create(
        actor=editor, constitution_version=published, item_set=pairs, critic=tiny_critic,
        task="preference", selection="code", selection_value="HARM-01", batch_size=3,
    )  # fmt: skip


@pytest.fixture
def broker():
    broker_flush()
    yield
    broker_flush()


def worker_died(batch: RunBatch, *, seconds_ago: float = 600) -> None:
    """What a worker killed mid-batch leaves behind: running, its last heartbeat long ago."""
    then = timezone.now() - timedelta(seconds=seconds_ago)
    RunBatch.objects.filter(pk=batch.pk).update(
        status="running", started_at=then, heartbeat_at=then, attempts=1
    )
    LabelingRun.objects.filter(pk=batch.run_id).update(status="running")


def worker_alive(batch: RunBatch) -> None:
    RunBatch.objects.filter(pk=batch.pk).update(
        status="running", started_at=timezone.now(), heartbeat_at=timezone.now(), attempts=1
    )
    LabelingRun.objects.filter(pk=batch.run_id).update(status="running")


def test_a_batch_a_live_worker_holds_is_not_claimed_a_second_time(run):
    batch = run.batches.order_by("index").first()
    assert batch_claim(RunBatch, batch.pk) is not None
    # The same message delivered again (the visibility timeout ran out on a slow batch).
    assert batch_claim(RunBatch, batch.pk) is None
    batch.refresh_from_db()
    assert batch.status == "running" and batch.attempts == 1 and batch.heartbeat_at


def test_a_batch_whose_worker_stopped_beating_is_claimed_again(run, settings):
    settings.CAI_WORKER_STALE_S = 60
    batch = run.batches.order_by("index").first()
    worker_died(batch, seconds_ago=61)
    assert batch_claim(RunBatch, batch.pk) is not None
    batch.refresh_from_db()
    assert batch.attempts == 2 and batch.heartbeat_at > timezone.now() - timedelta(seconds=5)


def test_the_sweep_queues_lost_batches_again_and_leaves_live_and_waiting_ones(
    run, broker, django_capture_on_commit_callbacks
):
    lost, alive, waiting = run.batches.order_by("index")
    worker_died(lost)
    worker_alive(alive)
    with django_capture_on_commit_callbacks(execute=True):
        assert labeling_sweep() == 1
    lost.refresh_from_db()
    assert (lost.status, lost.workers_lost, lost.heartbeat_at) == ("pending", 1, None)
    assert RunBatch.objects.get(pk=alive.pk).status == "running"
    assert RunBatch.objects.get(pk=waiting.pk).status == "pending"
    assert queued_tasks("labeling") == [(PROCESS_BATCH, (lost.pk,))]
    # A second sweep (another worker's) finds nothing more to do.
    with django_capture_on_commit_callbacks(execute=True):
        assert labeling_sweep() == 0
    assert len(queued_tasks("labeling")) == 1


def test_a_batch_that_keeps_losing_its_worker_fails_and_its_run_finishes(run):
    first, second, third = run.batches.order_by("index")
    RunBatch.objects.filter(pk__in=[second.pk, third.pk]).update(status="done")
    worker_died(first)
    RunBatch.objects.filter(pk=first.pk).update(workers_lost=WORKERS_LOST_LIMIT - 1)
    assert labeling_sweep() == 1
    first.refresh_from_db()
    assert first.status == "failed" and first.workers_lost == WORKERS_LOST_LIMIT
    assert "lost 3 times" in first.error and "Retry failed batches" in first.error
    assert LabelingRun.objects.get(pk=run.pk).status == "failed"


def test_the_sweep_skips_a_lost_batch_of_a_cancelled_run(run):
    batch = run.batches.order_by("index").first()
    worker_died(batch)
    LabelingRun.objects.filter(pk=run.pk).update(status="cancelled")
    labeling_sweep()
    assert RunBatch.objects.get(pk=batch.pk).status == "skipped"


def test_the_sweep_finishes_a_run_left_running_with_every_batch_done(run):
    run.batches.update(status="done")
    LabelingRun.objects.filter(pk=run.pk).update(status="running")
    assert labeling_sweep() == 1
    assert LabelingRun.objects.get(pk=run.pk).status == "done"


def test_one_kind_of_work_failing_to_sweep_does_not_stop_the_others(run):
    def broken() -> int:
        raise RuntimeError("the model registry is down")

    stale_work_register("zz broken", broken)
    try:
        worker_died(run.batches.order_by("index").first())
        touched = stale_work_sweep()
    finally:
        from cai_audit import leases

        leases._sweepers.pop("zz broken")
    assert touched["labeling batches"] == 1 and "zz broken" not in touched


def test_requeue_stuck_batches_queues_lost_and_waiting_ones_and_is_audited(
    run, editor, broker, django_capture_on_commit_callbacks
):
    lost, alive, waiting = run.batches.order_by("index")
    worker_died(lost)
    worker_alive(alive)
    with django_capture_on_commit_callbacks(execute=True):
        requeued = run_requeue_stuck(actor=editor, run=run)
    assert (requeued.lost, requeued.pending, requeued.alive) == ([lost.pk], [waiting.pk], 1)
    assert "Queued 2 batch(es) again" in requeued.summary()
    assert sorted(args for _, args in queued_tasks("labeling")) == [(lost.pk,), (waiting.pk,)]
    assert RunBatch.objects.get(pk=lost.pk).status == "pending"
    assert RunBatch.objects.get(pk=alive.pk).status == "running"
    event = AuditEvent.objects.get(action="run.requeued")
    assert event.actor == editor and event.payload["alive"] == 1


def test_requeue_is_refused_when_a_live_worker_holds_every_open_batch(run, editor):
    for batch in run.batches.all():
        RunBatch.objects.filter(pk=batch.pk).update(status="done")
    worker_alive(run.batches.order_by("index").first())
    with pytest.raises(DomainError, match="Nothing is stuck: 1 running batch"):
        run_requeue_stuck(actor=editor, run=run)


def test_requeue_finishes_a_run_with_no_batch_left_open(run, editor):
    run.batches.update(status="done")
    requeued = run_requeue_stuck(actor=editor, run=run)
    assert requeued.run_finished and "finished now" in requeued.summary()
    assert LabelingRun.objects.get(pk=run.pk).status == "done"


def test_requeue_needs_the_permission_to_start_runs_and_an_unfinished_run(run, reviewer, editor):
    with pytest.raises(PermissionDenied):
        run_requeue_stuck(actor=reviewer, run=run)
    LabelingRun.objects.filter(pk=run.pk).update(status="done")
    with pytest.raises(DomainError, match="has finished"):
        run_requeue_stuck(actor=editor, run=run)


def test_the_run_page_names_lost_batches_and_requeues_them(
    run, editor, broker, django_capture_on_commit_callbacks
):
    lost = run.batches.order_by("index").first()
    worker_died(lost)
    client = logged_in(editor)
    page = client.get(reverse("labeling:run", args=[run.pk])).content.decode()
    assert 'data-testid="lost-batches"' in page and "Requeue stuck batches" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("labeling:run_requeue", args=[run.pk]), follow=True)
    assert "Queued 3 batch(es) again (1 whose worker was lost, 2 waiting)" in (
        response.content.decode()
    )
    assert len(queued_tasks("labeling")) == 3
    assert 'data-testid="lost-batches"' not in response.content.decode()


def test_the_api_requeues_stuck_batches_for_those_who_may_start_runs(
    run, editor, reviewer, broker, django_capture_on_commit_callbacks
):
    lost = run.batches.order_by("index").first()
    worker_died(lost)
    api = APIClient()
    api.force_authenticate(reviewer)
    assert api.post(f"/api/runs/{run.pk}/requeue/").status_code == 403
    api.force_authenticate(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"/api/runs/{run.pk}/requeue/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["lost"] == [lost.pk] and len(body["requeued"]) == 3 and body["alive"] == 0
    LabelingRun.objects.filter(pk=run.pk).update(status="done")
    refused = api.post(f"/api/runs/{run.pk}/requeue/")
    assert refused.status_code == 400 and "has finished" in refused.json()["detail"]


@pytest.mark.django_db(transaction=True)
def test_a_leased_batch_keeps_its_heartbeat_fresh_and_is_let_go_when_the_work_raises(run, settings):
    settings.CAI_WORKER_STALE_S = 1.2  # a heartbeat every 0.2 s
    batch = run.batches.order_by("index").first()
    claimed = batch_claim(RunBatch, batch.pk)
    first = RunBatch.objects.get(pk=batch.pk).heartbeat_at
    with batch_lease(RunBatch, batch.pk):
        time.sleep(1.0)
        assert RunBatch.objects.get(pk=batch.pk).heartbeat_at > first
    assert claimed is not None
    with pytest.raises(ConnectionError), batch_lease(RunBatch, batch.pk):
        raise ConnectionError("the model server went away")  # the task will retry
    batch.refresh_from_db()
    assert (batch.status, batch.heartbeat_at) == ("pending", None)
    assert batch_claim(RunBatch, batch.pk) is not None  # the retry takes it at once
