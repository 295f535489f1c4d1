"""Celery tasks of red-team runs (on the `labeling` queue, where the inference workers are).
Thin: ids in, one service call, retries on transient errors."""

from celery import Task, shared_task

from labeling.engine.base import BackendError

from .services.processing import batch_mark_failed, batch_process, run_mark_failed
from .services.runs import run_prepare

RETRY = {
    "acks_late": True,
    "autoretry_for": (BackendError, ConnectionError, TimeoutError),
    "retry_backoff": 2,
    "retry_backoff_max": 120,
    "retry_jitter": True,
    "max_retries": 4,
}


class PrepareTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        run_mark_failed(run_id=args[0], error=f"{type(exc).__name__}: {exc}")


class BatchTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        batch_mark_failed(batch_id=args[0], error=f"{type(exc).__name__}: {exc}")


@shared_task(base=PrepareTask, **RETRY)
def prepare_run(run_id: int) -> int:
    return run_prepare(run_id=run_id).total_batches


@shared_task(base=BatchTask, **RETRY)
def process_batch(batch_id: int) -> int:
    return batch_process(batch_id=batch_id)


@shared_task(**RETRY)
def judge_matchup(matchup_id: int) -> int:
    from .services.matchups import matchup_process

    return matchup_process(matchup_id=matchup_id)
