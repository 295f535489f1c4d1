"""Celery tasks of the `labeling` queue. Thin: ids in, one service call, retries on transient
errors. The batch's heartbeat shows its worker alive; when a worker dies the others' sweep hands
the batch out again (cai_audit/leases.py), and acks_late + reject_on_worker_lost (settings)
bring its message back too, which the claim then ignores."""

from celery import Task, shared_task

from .engine.base import BackendError
from .models import RunBatch
from .services.batches import batch_lease
from .services.processing import batch_mark_failed, batch_process


class BatchTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        batch_mark_failed(batch_id=args[0], error=f"{type(exc).__name__}: {exc}")


@shared_task(
    base=BatchTask,
    bind=True,
    acks_late=True,
    autoretry_for=(BackendError, ConnectionError, TimeoutError),
    retry_backoff=2,
    retry_backoff_max=120,
    retry_jitter=True,
    max_retries=4,
)
def process_batch(self, batch_id: int) -> int:
    with batch_lease(RunBatch, batch_id):
        return batch_process(batch_id=batch_id)
