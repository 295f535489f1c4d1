"""Alerts reach the channels that chose them: by mail (Django's in-memory backend) and by
webhook (a real HTTP receiver on this machine), once per alert key, retried and logged when the
receiver fails, with the webhook URL never written to the log."""

import pytest
from django.core import mail

from cai_audit.alerts import DRIFT, WORK_FAILED, alert
from notifications.models import Delivery
from notifications.services.deliveries import delivery_attempt
from notifications.tasks import delivery_send

from .conftest import deliver_pending, make_channel


def send_alert(capture, *, key="run:1", event=WORK_FAILED, **extra):
    with capture(execute=True):
        alert.send(
            sender=object,
            event=event,
            subject=extra.pop("subject", "Run 1 failed"),
            body=extra.pop("body", "3 of its batches failed."),
            link=extra.pop("link", "/labeling/runs/1/"),
            key=key,
            **extra,
        )


def test_an_alert_is_mailed_to_the_subscribed_email_channel(
    editor, reviewer, settings, django_capture_on_commit_callbacks
):
    settings.CAI_SITE_URL = "https://audit.example.org"
    make_channel(editor, target="editor@example.com")
    make_channel(reviewer, target="drift-only@example.com", events=[DRIFT])
    make_channel(reviewer, target="off@example.com", active=False)
    send_alert(django_capture_on_commit_callbacks)
    [delivery] = deliver_pending()
    assert delivery.status == Delivery.Status.SENT and delivery.attempts == 1
    assert delivery.sent_at is not None
    [message] = mail.outbox
    assert message.to == ["editor@example.com"]
    assert message.subject == "[CAI Audit] Run 1 failed"
    assert "3 of its batches failed." in message.body
    assert "https://audit.example.org/labeling/runs/1/" in message.body


def test_a_webhook_receives_slack_compatible_json(
    editor, receiver, settings, django_capture_on_commit_callbacks
):
    settings.CAI_SITE_URL = "https://audit.example.org"
    make_channel(editor, kind="webhook", target=receiver.url())
    send_alert(django_capture_on_commit_callbacks, body="Batch <3> & co failed")
    [delivery] = deliver_pending()
    assert delivery.status == Delivery.Status.SENT
    [request] = receiver.received
    assert request["path"] == "/services/T0/B0/secret-token"
    assert request["content_type"] == "application/json"
    text = request["json"]["text"]
    assert set(request["json"]) == {"text"}
    assert text.startswith("*Run 1 failed*\n")
    assert "Batch &lt;3&gt; &amp; co failed" in text  # Slack markup is escaped
    assert "<https://audit.example.org/labeling/runs/1/|Open in CAI Audit>" in text


def test_the_same_key_is_delivered_once_per_channel(
    editor, receiver, django_capture_on_commit_callbacks
):
    make_channel(editor, target="editor@example.com")
    make_channel(editor, kind="webhook", target=receiver.url())
    send_alert(django_capture_on_commit_callbacks, key="run:7")
    deliver_pending()
    send_alert(django_capture_on_commit_callbacks, key="run:7")  # the check fires again
    deliver_pending()
    assert len(mail.outbox) == 1 and len(receiver.received) == 1
    assert Delivery.objects.count() == 2
    send_alert(django_capture_on_commit_callbacks, key="run:8")
    deliver_pending()
    assert len(mail.outbox) == 2 and len(receiver.received) == 2


def test_an_alert_rolled_back_is_never_delivered(editor, django_capture_on_commit_callbacks):
    make_channel(editor)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        alert.send(sender=object, event=WORK_FAILED, subject="s", key="k")
    assert Delivery.objects.count() == 0 and len(callbacks) == 1  # waits for the commit


def test_recipients_limit_an_alert_to_those_users_channels(
    editor, reviewer, django_capture_on_commit_callbacks
):
    make_channel(editor, target="editor@example.com")
    make_channel(reviewer, target="reviewer@example.com")
    send_alert(django_capture_on_commit_callbacks, recipients=[reviewer.pk])
    deliver_pending()
    assert [message.to for message in mail.outbox] == [["reviewer@example.com"]]


def test_an_unknown_event_is_refused_at_once(db):
    with pytest.raises(ValueError, match="Unknown alert event"):
        alert.send(sender=object, event="nope", subject="s", key="k")


def test_a_failing_webhook_is_retried_and_then_logged_failed_without_its_url(
    editor, receiver, django_capture_on_commit_callbacks
):
    receiver.script = [500] * 20
    make_channel(editor, kind="webhook", target=receiver.url())
    send_alert(django_capture_on_commit_callbacks)
    [delivery] = deliver_pending()
    tries = 1 + delivery_send.max_retries
    assert len(receiver.received) == tries
    assert delivery.status == Delivery.Status.FAILED and delivery.attempts == tries
    assert "HTTP 500" in delivery.error
    assert "secret-token" not in delivery.error


def test_a_webhook_that_fails_twice_is_sent_on_the_third_attempt(
    editor, receiver, django_capture_on_commit_callbacks
):
    receiver.script = [503, 502]
    make_channel(editor, kind="webhook", target=receiver.url())
    send_alert(django_capture_on_commit_callbacks)
    [delivery] = deliver_pending()
    assert delivery.status == Delivery.Status.SENT and delivery.attempts == 3
    assert len(receiver.received) == 3 and delivery.error == ""


def test_a_receiver_that_is_down_is_logged_without_the_secret_path(
    editor, receiver, django_capture_on_commit_callbacks, caplog
):
    url = receiver.url("/hooks/very-secret-path")
    make_channel(editor, kind="webhook", target=url)
    receiver.close()  # nothing listens there any more
    send_alert(django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get()
    with pytest.raises(Exception, match="ConnectionError"):
        delivery_attempt(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.PENDING and delivery.attempts == 1
    assert "ConnectionError" in delivery.error
    assert "very-secret-path" not in delivery.error
    assert "very-secret-path" not in caplog.text


def test_a_redirect_is_not_followed(editor, receiver, django_capture_on_commit_callbacks):
    receiver.script = [302] * 20
    make_channel(editor, kind="webhook", target=receiver.url())
    send_alert(django_capture_on_commit_callbacks)
    [delivery] = deliver_pending()
    assert delivery.status == Delivery.Status.FAILED and "HTTP 302" in delivery.error
    assert all(request["path"] != "/x" for request in receiver.received)


def test_a_url_refused_at_send_time_fails_without_a_request(
    editor, receiver, settings, django_capture_on_commit_callbacks
):
    make_channel(editor, kind="webhook", target=receiver.url())
    settings.CAI_WEBHOOK_HOSTS = ["https://*"]  # an administrator narrowed the list since
    send_alert(django_capture_on_commit_callbacks)
    [delivery] = deliver_pending()
    assert delivery.status == Delivery.Status.FAILED and delivery.attempts == 1
    assert delivery.error.startswith("Refused:") and receiver.received == []


def test_a_delivered_message_is_not_sent_again_on_redelivery(
    editor, django_capture_on_commit_callbacks
):
    make_channel(editor)
    send_alert(django_capture_on_commit_callbacks)
    [delivery] = deliver_pending()
    assert delivery_attempt(delivery_id=delivery.pk) is None
    assert len(mail.outbox) == 1
