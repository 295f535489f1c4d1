"""The base of every queued-work task: one retry policy and one failure hook.

A task takes an id, loads rows and calls one service (STYLE.md "Thin tasks"). It is acked late
(a worker that dies gives its message back), retries with exponential backoff on errors a retry
may fix, and once it gives up its `give_up(work_id, error)` hook marks the work failed, so no
batch, comparison or job is left "running" for ever. Enqueueing after commit uses Celery's own
`delay_on_commit` (celery.contrib.django.task.DjangoTask), never a hand-written wrapper.
Modelled on Sentry's `instrumented_task` (src/sentry/tasks/base.py).
"""

from collections.abc import Callable, Iterable

from celery import shared_task
from celery.contrib.django.task import DjangoTask

from .errors import TransientError

#: What the base task retries, with backoff, before it gives up.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (TransientError, ConnectionError, TimeoutError)
#: The retry policy every queued-work task shares (Celery task options).
RETRY_POLICY = {
    "acks_late": True,
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": 2,
    "retry_backoff_max": 120,
    "retry_jitter": True,
    "max_retries": 4,
}


def error_text(exc: BaseException) -> str:
    """How a failure is recorded on the work's row."""
    return f"{type(exc).__name__}: {exc}"[:5000]


class QueuedWorkTask(DjangoTask):
    """Celery task class carrying the retry policy and the failure hook. Its `give_up` (set by
    `queued_task`) is called with the work's id (the task's first argument) and the error once
    the task fails for good: its retries are spent, or the error is not one a retry fixes."""

    acks_late = RETRY_POLICY["acks_late"]
    autoretry_for = RETRY_POLICY["autoretry_for"]
    retry_backoff = RETRY_POLICY["retry_backoff"]
    retry_backoff_max = RETRY_POLICY["retry_backoff_max"]
    retry_jitter = RETRY_POLICY["retry_jitter"]
    max_retries = RETRY_POLICY["max_retries"]
    give_up: Callable[[int, str], None] | None = None

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        if self.give_up is None:
            return
        work_id = args[0] if args else next(iter(kwargs.values()))
        self.give_up(work_id, error_text(exc))


def queued_task(*, give_up: Callable[[int, str], None], **options):
    """Declare a task of queued work (a shared_task on QueuedWorkTask). `give_up(work_id,
    error)` marks the work failed once the task gives up; `options` override the retry policy
    (e.g. `autoretry_for=()` for work that must not be redone by itself). Raises nothing of its
    own (a decorator factory)."""

    def declare(run: Callable) -> QueuedWorkTask:
        return shared_task(base=QueuedWorkTask, give_up=staticmethod(give_up), **options)(run)

    return declare


def enqueue_on_commit(task: DjangoTask, work_ids: Iterable[int]) -> None:
    """Send the task for each id once the current transaction commits (at once outside one):
    a worker must never look for rows it cannot see yet, nor for rows a rollback removed."""
    for work_id in work_ids:
        task.delay_on_commit(work_id)
