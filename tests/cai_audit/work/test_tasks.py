"""The base task of queued work: its retry policy and the failure hook that marks work failed.

The tasks run with `apply` (in this process, one task at a time, no global eager mode): Celery
then retries at once instead of after the backoff, which is what these tests count."""

from celery.contrib.django.task import DjangoTask

from cai_audit.work.errors import TransientError
from cai_audit.work.tasks import (
    RETRY_POLICY,
    QueuedWorkTask,
    enqueue_on_commit,
    queued_task,
)

given_up: list[tuple[int, str]] = []
calls: list[int] = []


def _give_up(work_id: int, error: str) -> None:
    given_up.append((work_id, error))


@queued_task(give_up=_give_up, name="tests.work.flaky")
def flaky(work_id: int, fail_times: int = 0) -> int:
    calls.append(work_id)
    if len(calls) <= fail_times:
        raise TransientError("the model server answered 503")
    return work_id


@queued_task(give_up=_give_up, name="tests.work.broken")
def broken(work_id: int) -> int:
    calls.append(work_id)
    raise ValueError("not something a retry fixes")


def setup_function():
    given_up.clear()
    calls.clear()


def test_the_policy_is_acks_late_with_bounded_exponential_backoff():
    assert isinstance(flaky, QueuedWorkTask) and isinstance(flaky, DjangoTask)
    assert flaky.acks_late is True and flaky.max_retries == RETRY_POLICY["max_retries"] == 4
    assert flaky.retry_backoff == 2 and flaky.retry_backoff_max == 120
    assert TransientError in flaky.autoretry_for and ConnectionError in flaky.autoretry_for


def test_a_transient_error_is_retried_and_the_work_is_done_without_giving_up():
    assert flaky.apply(args=[7], kwargs={"fail_times": 2}).get() == 7
    assert calls == [7, 7, 7] and given_up == []


def test_once_the_retries_are_spent_the_failure_hook_marks_the_work_failed():
    result = flaky.apply(args=[7], kwargs={"fail_times": 99})
    assert result.failed()
    assert len(calls) == 1 + RETRY_POLICY["max_retries"]
    assert given_up == [(7, "TransientError: the model server answered 503")]


def test_an_error_no_retry_fixes_gives_up_at_once():
    assert broken.apply(args=[3]).failed()
    assert calls == [3] and given_up == [(3, "ValueError: not something a retry fixes")]


def test_enqueue_waits_for_the_commit(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        enqueue_on_commit(flaky, [1, 2])
    assert len(callbacks) == 2 and calls == []
