"""Celery tasks of red-team runs (on the `labeling` queue, where the inference workers are).
Thin: ids in, one service call, retries on transient errors. Each keeps the heartbeat of what it
works on (a preparing run, a batch, a matchup), so the sweep can hand it out again if its worker
dies; a failure hook marks it failed once the retries are spent."""

from celery import Task, shared_task

from labeling.engine.base import BackendError

from .services.matchups import matchup_lease, matchup_mark_failed, matchup_process
from .services.processing import (
    batch_lease,
    batch_mark_failed,
    batch_process,
    preparation_lease,
    run_mark_failed,
)
from .services.runs import run_prepare

RETRY = {
    "acks_late": True,
    "autoretry_for": (BackendError, ConnectionError, TimeoutError),
    "retry_backoff": 2,
    "retry_backoff_max": 120,
    "retry_jitter": True,
    "max_retries": 4,
}


def _error(exc) -> str:
    return f"{type(exc).__name__}: {exc}"


class PrepareTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        run_mark_failed(run_id=args[0], error=_error(exc))


class BatchTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        batch_mark_failed(batch_id=args[0], error=_error(exc))


class MatchupTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        matchup_mark_failed(matchup_id=args[0], error=_error(exc))


@shared_task(base=PrepareTask, **RETRY)
def prepare_run(run_id: int) -> int:
    with preparation_lease(run_id):
        return run_prepare(run_id=run_id).total_batches


@shared_task(base=BatchTask, **RETRY)
def process_batch(batch_id: int) -> int:
    with batch_lease(batch_id):
        return batch_process(batch_id=batch_id)


@shared_task(base=MatchupTask, **RETRY)
def judge_matchup(matchup_id: int) -> int:
    with matchup_lease(matchup_id):
        return matchup_process(matchup_id=matchup_id)
