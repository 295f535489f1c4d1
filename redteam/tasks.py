"""Celery tasks of red-team runs (on the `labeling` queue, where the inference workers are).
Thin: ids in, one service call; the retry policy and the failure hook are the shared base
task's (cai_audit/work/tasks.py). Each keeps the heartbeat of what it works on (a preparing run,
a batch, a matchup), so the sweep can hand it out again if its worker dies; its failure hook
marks it failed once the retries are spent."""

from cai_audit.work.tasks import queued_task

from .services.matchups import matchup_lease, matchup_mark_failed, matchup_process
from .services.processing import (
    batch_lease,
    batch_mark_failed,
    batch_process,
    preparation_lease,
    run_mark_failed,
)
from .services.runs import run_prepare


def _run_give_up(run_id: int, error: str) -> None:
    run_mark_failed(run_id=run_id, error=error)


def _batch_give_up(batch_id: int, error: str) -> None:
    batch_mark_failed(batch_id=batch_id, error=error)


def _matchup_give_up(matchup_id: int, error: str) -> None:
    matchup_mark_failed(matchup_id=matchup_id, error=error)


@queued_task(give_up=_run_give_up)
def prepare_run(run_id: int) -> int:
    with preparation_lease(run_id):
        return run_prepare(run_id=run_id).total_batches


@queued_task(give_up=_batch_give_up)
def process_batch(batch_id: int) -> int:
    with batch_lease(batch_id):
        return batch_process(batch_id=batch_id)


@queued_task(give_up=_matchup_give_up)
def judge_matchup(matchup_id: int) -> int:
    with matchup_lease(matchup_id):
        return matchup_process(matchup_id=matchup_id)
