"""The life of a run split into batches (labeling and red-team runs alike): split it, cancel it,
retry its failed batches, finish it once no batch is open, and requeue what no live worker holds.

Each app describes its kind once (`BatchedWork`: the run and batch models, the batch task, what
to do when a run finishes) and calls these with it; permission checks and audit records stay in
the app's services, which know what the action means to people."""

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from cai_audit.errors import DomainError
from cai_audit.leases import SWEEP_BATCH

from .alerts import work_failed_alert
from .batches import Requeued, batches_requeue_lost, batches_requeue_stuck
from .models import OPEN_BATCH, BatchStatus, QueuedBatch, QueuedRun, RunStatus
from .tasks import enqueue_on_commit


@dataclass(frozen=True)
class BatchedWork:
    """One kind of run that is split into batches.

    `batch_task` returns the Celery task that does one batch (a function, so that services can
    name their app's tasks module without importing it at load time); `on_finish(run)` runs in
    the transaction that finishes the run, before its status is set (e.g. combining labels)."""

    run_model: type[QueuedRun]
    batch_model: type[QueuedBatch]
    batch_task: Callable[[], object]
    on_finish: Callable[[QueuedRun], None] | None = None

    def enqueue(self, batch_ids: list[int]) -> None:
        """Queue the batches once the current transaction commits."""
        enqueue_on_commit(self.batch_task(), batch_ids)


def run_batches_create(*, work: BatchedWork, run: QueuedRun, units: list, size: int) -> list[int]:
    """Split the run's units into batches of `size` (the run's step size), record the totals on
        the run, and return the batches' ids (the caller enqueues them with `work.enqueue`). Raises
    nothing of its own."""
    batches = work.batch_model.objects.bulk_create(
        work.batch_model(run=run, index=n, units=units[start : start + size])
        for n, start in enumerate(range(0, len(units), size))
    )
    run.total_units, run.total_batches = len(units), len(batches)
    run.save(update_fields=["total_units", "total_batches"])
    return [batch.pk for batch in batches]


def run_locked(*, work: BatchedWork, run_id: int) -> QueuedRun:
    """The run, its row locked until the caller's transaction ends. Raises DoesNotExist for an
    unknown id; call inside a transaction."""
    return work.run_model.objects.select_for_update().get(pk=run_id)


def run_cancel_batches(*, work: BatchedWork, run_id: int) -> QueuedRun:
    """Cancel an unfinished run: it is finished as cancelled and its pending batches skipped;
    running ones stop at their next step (batch_skip_if_cancelled).

    Raises DomainError when the run has already finished. Call inside a transaction."""
    run = run_locked(work=work, run_id=run_id)
    if run.is_finished:
        raise DomainError(f"Run {run.pk} has already finished ({run.get_status_display()}).")
    run.status, run.finished_at = RunStatus.CANCELLED, timezone.now()
    run.save(update_fields=["status", "finished_at"])
    run.batches.filter(status=BatchStatus.PENDING).update(status=BatchStatus.SKIPPED)
    return run


def run_batches_retry_failed(*, work: BatchedWork, run_id: int) -> list[int]:
    """Put the run's failed batches back to pending, the run back to running, and queue them
    after commit; labels they already wrote are kept. Returns the batches' ids.

    Raises DomainError when no batch failed. Call inside a transaction."""
    run = run_locked(work=work, run_id=run_id)
    failed = list(run.batches.filter(status=BatchStatus.FAILED).values_list("pk", flat=True))
    if not failed:
        raise DomainError("No failed batches to retry.")
    work.batch_model.objects.filter(pk__in=failed).update(status=BatchStatus.PENDING, error="")
    run.status, run.finished_at = RunStatus.RUNNING, None
    run.save(update_fields=["status", "finished_at"])
    work.enqueue(failed)
    return failed


def run_status_refresh(*, work: BatchedWork, run_id: int) -> QueuedRun:
    """Finish the run once it has batches and none is pending or running: failed when a batch
    failed, else done. A cancelled run, and one whose batches are not made yet, are left alone.

    Locking: the run row is locked, so two batches finishing at once finish the run once.
    Raises DoesNotExist for an unknown run."""
    with transaction.atomic():
        run = run_locked(work=work, run_id=run_id)
        if run.status == RunStatus.CANCELLED:
            return run
        counts = dict(run.batches.values_list("status").annotate(n=Count("id")))
        if not counts or any(counts.get(status, 0) for status in OPEN_BATCH):
            return run
        if work.on_finish is not None:
            work.on_finish(run)
        failed = counts.get(BatchStatus.FAILED, 0)
        run.status = RunStatus.FAILED if failed else RunStatus.DONE
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "finished_at"])
        if failed:
            work_failed_alert(work.run_model, run.pk, f"{failed} of its batches failed.")
        return run


def run_batches_requeue(*, work: BatchedWork, run: QueuedRun) -> Requeued:
    """Queue again the batches of an unfinished run that no live worker holds (see
    batches_requeue_stuck); a run with no batch left open is finished instead.

    Raises DomainError when every open batch has a live worker. The caller holds the run's row
    lock (run_locked) and has checked that the run is unfinished."""
    requeued = batches_requeue_stuck(run)
    if not requeued.batch_ids:
        if requeued.alive:
            raise DomainError(requeued.nothing_stuck())
        run_status_refresh(work=work, run_id=run.pk)
        return dataclasses.replace(requeued, run_finished=True)
    work.enqueue(requeued.batch_ids)
    return requeued


def runs_sweep(*, work: BatchedWork) -> int:
    """What every worker's sweep does for this kind of run: hand out again the batches whose
        worker stopped beating, then finish the runs left running with no batch open (their worker
        died between finishing the last batch and finishing the run). Returns the rows touched.
    Raises nothing of its own (rows another sweep holds are skipped)."""

    def refresh(run_id: int) -> QueuedRun:
        return run_status_refresh(work=work, run_id=run_id)

    touched = batches_requeue_lost(work.batch_model, task=work.batch_task(), refresh_run=refresh)
    forgotten = list(
        work.run_model.objects.filter(status=RunStatus.RUNNING)
        .exclude(batches__status__in=OPEN_BATCH)
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    for run_id in forgotten:
        refresh(run_id)
    return touched + len(forgotten)
