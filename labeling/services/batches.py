"""The life of a queued batch (labeling and red-team runs alike): claim it, notice that its run
was cancelled, finish it, or fail it once the task's retries are spent."""

from django.db import transaction
from django.utils import timezone

from ..models import QueuedBatch

Status = QueuedBatch.Status


def batch_claim(batch_model: type[QueuedBatch], batch_id: int) -> QueuedBatch | None:
    """Mark the batch running (one more attempt) and its run running if it was queued; None when
    there is nothing to do (done, skipped, or its run was cancelled: it is then skipped)."""
    with transaction.atomic():
        batch = batch_model.objects.select_for_update().select_related("run").get(pk=batch_id)
        if batch.status in (Status.DONE, Status.SKIPPED):
            return None
        now = timezone.now()
        if batch.run.status == "cancelled":
            batch.status, batch.finished_at = Status.SKIPPED, now
            batch.save(update_fields=["status", "finished_at"])
            return None
        batch.status, batch.started_at = Status.RUNNING, now
        batch.attempts += 1
        batch.save(update_fields=["status", "started_at", "attempts"])
        type(batch.run).objects.filter(pk=batch.run_id, status="queued").update(
            status="running", started_at=now
        )
    return batch


def batch_skip_if_cancelled(batch: QueuedBatch) -> bool:
    """Between model calls: True (and the batch skipped) when its run was cancelled meanwhile."""
    run_model = type(batch.run)
    if not run_model.objects.filter(pk=batch.run_id, status="cancelled").exists():
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
