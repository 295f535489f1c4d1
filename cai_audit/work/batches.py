"""The life of a queued batch (labeling and red-team runs alike): claim it, keep its heartbeat
while a worker holds it, notice that its run was cancelled, finish it, or fail it once the task's
retries are spent; and hand it out again when its worker died (cai_audit/leases.py). The run's
side (split, cancel, refresh, requeue) is in runs.py."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, F, Q
from django.db.models.functions import Now
from django.utils import timezone

from cai_audit.leases import (
    SWEEP_BATCH,
    WORKERS_LOST_LIMIT,
    lease_fresh,
    lease_kept,
    lease_lost,
    stale_after_s,
)

from .models import BatchStatus as Status
from .models import QueuedBatch, RunStatus
from .tasks import enqueue_on_commit


def batch_claim(batch_model: type[QueuedBatch], batch_id: int) -> QueuedBatch | None:
    """Mark the batch running (one more attempt, first heartbeat) and its run running if it was
    queued; None when there is nothing to do: done, skipped, its run was cancelled (it is then
    skipped), or a live worker holds it (a redelivered message, or one the sweep sent twice).

    Locking: the batch row is locked (select_for_update) while it is claimed, so of two workers
    that got the same batch only one takes it."""
    with transaction.atomic():
        batch = (
            batch_model.objects.select_for_update()
            .select_related("run")
            .annotate(held=ExpressionWrapper(lease_fresh(), output_field=BooleanField()))
            .get(pk=batch_id)
        )
        if batch.status in (Status.DONE, Status.SKIPPED):
            return None
        if batch.status == Status.RUNNING and batch.held:
            return None
        now = timezone.now()
        if batch.run.status == RunStatus.CANCELLED:
            batch.status, batch.finished_at = Status.SKIPPED, now
            batch.save(update_fields=["status", "finished_at"])
            return None
        batch.status, batch.started_at, batch.heartbeat_at = Status.RUNNING, now, Now()
        batch.attempts += 1
        batch.save(update_fields=["status", "started_at", "heartbeat_at", "attempts"])
        type(batch.run).objects.filter(pk=batch.run_id, status=RunStatus.QUEUED).update(
            status=RunStatus.RUNNING, started_at=now
        )
    return batch


def batch_lease(batch_model: type[QueuedBatch], batch_id: int):
    """Around a task's work on a batch: its heartbeat stays fresh while the work runs; when the
    work raises, the batch goes back to pending for the retry (or the failure hook)."""
    return lease_kept(
        batch_model,
        batch_id,
        holding=Q(status=Status.RUNNING),
        release={"status": Status.PENDING, "heartbeat_at": None},
    )


def batch_skip_if_cancelled(batch: QueuedBatch) -> bool:
    """Between model calls: True (and the batch skipped) when its run was cancelled meanwhile."""
    run_model = type(batch.run)
    if not run_model.objects.filter(pk=batch.run_id, status=RunStatus.CANCELLED).exists():
        return False
    type(batch).objects.filter(pk=batch.pk).update(
        status=Status.SKIPPED, finished_at=timezone.now()
    )
    return True


def batch_finish(batch: QueuedBatch) -> None:
    type(batch).objects.filter(pk=batch.pk).update(
        status=Status.DONE, finished_at=timezone.now(), error=""
    )


def batch_fail(batch_model: type[QueuedBatch], batch_id: int, error: str) -> int:
    """Mark the batch failed (unless it got done meanwhile); returns its run's id."""
    batch_model.objects.filter(pk=batch_id).exclude(status=Status.DONE).update(
        status=Status.FAILED, error=error[:5000], finished_at=timezone.now()
    )
    return batch_model.objects.values_list("run_id", flat=True).get(pk=batch_id)


# -- Batches whose worker died ----------------------------------------------------------------


def _lost_error(times: int) -> str:
    return (
        f"The worker running this batch was lost {times} times (killed, out of memory, or its "
        "machine went away), so it is not handed out again by itself. Retry failed batches to "
        "try once more."
    )


def batches_requeue_lost(
    batch_model: type[QueuedBatch],
    *,
    task,
    refresh_run: Callable[[int], object],
) -> int:
    """The sweep: hand out again the running batches whose worker stopped beating. A batch of a
    cancelled run is skipped instead, and one that lost its worker WORKERS_LOST_LIMIT times is
    failed (its run then finishes as failed). Returns how many batches it touched.

    Locking: select_for_update(skip_locked=True), so two workers sweeping at once never hand out
    one batch twice, and a batch being claimed right now is left to its claimer."""
    with transaction.atomic():
        lost = list(
            batch_model.objects.select_for_update(skip_locked=True)
            .filter(lease_lost(legacy_started="started_at"), status=Status.RUNNING)
            .order_by("pk")[:SWEEP_BATCH]
        )
        if not lost:
            return 0
        run_model = batch_model._meta.get_field("run").related_model
        cancelled = set(
            run_model.objects.filter(
                pk__in={b.run_id for b in lost}, status=RunStatus.CANCELLED
            ).values_list("pk", flat=True)
        )
        now, requeued, finished_runs = timezone.now(), [], set()
        for batch in lost:
            if batch.run_id in cancelled:
                batch.status, batch.finished_at = Status.SKIPPED, now
            elif batch.workers_lost + 1 >= WORKERS_LOST_LIMIT:
                batch.status, batch.finished_at = Status.FAILED, now
                batch.error = _lost_error(batch.workers_lost + 1)
            else:
                batch.status = Status.PENDING
                requeued.append(batch.pk)
            if batch.status != Status.PENDING:
                finished_runs.add(batch.run_id)
            batch.workers_lost += 1
            batch.heartbeat_at = None
        batch_model.objects.bulk_update(
            lost, ["status", "finished_at", "error", "workers_lost", "heartbeat_at"]
        )
        enqueue_on_commit(task, requeued)
    for run_id in sorted(finished_runs):
        refresh_run(run_id)
    return len(lost)


@dataclass(frozen=True)
class Requeued:
    """What a "Requeue stuck batches" did: batches handed out again (those whose worker was lost,
    and pending ones whose message may be lost), and running ones left to their live worker."""

    lost: list[int]
    pending: list[int]
    alive: int
    run_finished: bool = False
    preparation: bool = False  # a red-team run's preparation was queued again, not batches

    @property
    def batch_ids(self) -> list[int]:
        return self.lost + self.pending

    def summary(self) -> str:
        if self.run_finished:
            return "No batch was left open: the run is finished now."
        if self.preparation:
            return "Queued the run's preparation again."
        parts = []
        if self.lost:
            parts.append(f"{len(self.lost)} whose worker was lost")
        if self.pending:
            parts.append(f"{len(self.pending)} waiting")
        text = f"Queued {len(self.batch_ids)} batch(es) again ({', '.join(parts)})."
        if self.alive:
            text += f" {self.alive} running batch(es) have a live worker and were left alone."
        return text

    def nothing_stuck(self) -> str:
        return (
            f"Nothing is stuck: {self.alive} running batch(es) have a worker that wrote a "
            f"heartbeat within the last {stale_after_s():.0f} s. A batch counts as stuck once "
            "its worker stops writing one for that long; every worker then hands it out again "
            "by itself."
        )


def batches_requeue_stuck(run) -> Requeued:
    """Of an unfinished run: batches whose worker was lost go back to pending, and every pending
    batch is queued again (a message lost with a broker, or never sent, leaves it waiting for
    ever; one sent twice is harmless, the claim takes it once). Running batches with a fresh
    heartbeat are left to their worker. The caller holds the run's row lock and enqueues after
    commit."""
    lost = list(
        run.batches.select_for_update()
        .filter(lease_lost(legacy_started="started_at"), status=Status.RUNNING)
        .values_list("pk", flat=True)
    )
    run.batches.filter(pk__in=lost).update(
        status=Status.PENDING, heartbeat_at=None, workers_lost=F("workers_lost") + 1
    )
    pending = list(
        run.batches.filter(status=Status.PENDING).exclude(pk__in=lost).values_list("pk", flat=True)
    )
    alive = run.batches.filter(status=Status.RUNNING).count()
    return Requeued(lost=lost, pending=pending, alive=alive)


def batches_lost_count(run) -> int:
    """Running batches of the run whose worker stopped writing heartbeats (for the run page)."""
    return run.batches.filter(
        lease_lost(legacy_started="started_at"), status=Status.RUNNING
    ).count()
