"""Through a real Celery worker on Redis: an alert sent after commit reaches a webhook receiver
by the queue, and a receiver that fails twice gets the message on the third attempt, after the
task's backoff."""

import pytest

from cai_audit.alerts import WORK_FAILED, alert
from notifications.models import Delivery
from tests.conftest import wait_until

from .conftest import make_channel

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


def test_an_alert_reaches_a_failing_webhook_through_the_worker_with_retries(
    worker_env, editor, receiver
):
    receiver.script = [500, 503]
    make_channel(editor, kind="webhook", target=receiver.url())
    worker_env("notifier", queues="default")
    alert.send(sender=object, event=WORK_FAILED, subject="Run 3 failed", key="run:3")
    wait_until(
        lambda: Delivery.objects.filter(status=Delivery.Status.SENT).exists(),
        60,
        "the webhook was never delivered",
    )
    delivery = Delivery.objects.get()
    assert delivery.attempts == 3 and len(receiver.received) == 3
    assert receiver.received[-1]["json"]["text"].startswith("*Run 3 failed*")
