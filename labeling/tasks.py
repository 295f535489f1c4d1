"""Celery tasks of the `labeling` queue. Thin: ids in, one service call; the retry policy and
the failure hook are the shared base task's (cai_audit/work/tasks.py). The batch's heartbeat
shows its worker alive; when a worker dies the others' sweep hands the batch out again
(cai_audit/leases.py), and acks_late + reject_on_worker_lost (settings) bring its message back
too, which the claim then ignores."""

from cai_audit.work.batches import batch_lease
from cai_audit.work.tasks import queued_task

from .models import RunBatch
from .services.processing import batch_mark_failed, batch_process


def _batch_give_up(batch_id: int, error: str) -> None:
    batch_mark_failed(batch_id=batch_id, error=error)


@queued_task(give_up=_batch_give_up)
def process_batch(batch_id: int) -> int:
    with batch_lease(RunBatch, batch_id):
        return batch_process(batch_id=batch_id)
