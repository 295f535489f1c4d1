"""Deliveries: an alert becomes one log row per subscribed channel (once per alert key), and a
task sends each one by e-mail or webhook, retrying with backoff before it gives up.

Sending is at least once: a worker that dies after the receiver accepted a webhook but before
the row says "sent" sends it again when the message is redelivered."""

import hashlib
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from cai_audit.alerts import EVENTS

from ..models import Channel, Delivery
from ..webhooks import WebhookRefused, error_scrubbed, webhook_post

logger = logging.getLogger(__name__)

EVENT_NAMES = frozenset(value for value, _ in EVENTS)
KEY_MAX = 200
SUBJECT_MAX = 300
BODY_MAX = 20_000


class DeliveryError(Exception):
    """One attempt failed in a way a retry may fix; the message is safe to log (scrubbed)."""


def alert_key(key: str) -> str:
    """The key as stored: long keys are hashed, so any key fits the column."""
    key = str(key)
    if len(key) <= KEY_MAX:
        return key
    return "sha256:" + hashlib.sha256(key.encode()).hexdigest()


def _one_line(text: str, limit: int) -> str:
    # A subject is a mail header: a line break in it would be a header injection.
    return " ".join(str(text).split())[:limit]


def _link_path(link: str) -> str:
    link = str(link or "")
    return link[:500] if link.startswith("/") and not link.startswith("//") else ""


def alert_deliveries_create(
    *,
    event: str,
    subject: str,
    body: str = "",
    link: str = "",
    key: str,
    recipients: Iterable[int] | None = None,
) -> list[int]:
    """Log one pending delivery of the alert for each active channel subscribed to `event` that
    has not had this key yet, and queue each one's task after commit. `recipients` (user ids),
    when given, keeps only those users' own channels. Returns the new deliveries' ids.

    Raises ValueError for an event that is not one of cai_audit.alerts.EVENTS."""
    if event not in EVENT_NAMES:
        raise ValueError(f"Unknown alert event {event!r}.")
    key = alert_key(key)
    channels = Channel.objects.filter(active=True, subscriptions__event=event)
    if recipients is not None:
        channels = channels.filter(owner_id__in=list(recipients))
    fields = {
        "subject": _one_line(subject, SUBJECT_MAX),
        "body": str(body)[:BODY_MAX],
        "link": _link_path(link),
    }
    created: list[int] = []
    with transaction.atomic():
        for channel_id in channels.values_list("pk", flat=True).distinct():
            try:
                with transaction.atomic():  # a savepoint: a duplicate key leaves the rest
                    delivery = Delivery.objects.create(
                        channel_id=channel_id, event=event, key=key, **fields
                    )
            except IntegrityError:
                continue  # this channel had this alert already
            created.append(delivery.pk)
        deliveries_enqueue(created)
    return created


def deliveries_enqueue(delivery_ids: list[int]) -> None:
    """Queue the deliveries' task once the current transaction commits."""
    from ..tasks import delivery_send

    for delivery_id in delivery_ids:
        delivery_send.delay_on_commit(delivery_id)


def _absolute(link: str) -> str:
    return settings.CAI_SITE_URL.rstrip("/") + link if link else ""


def _slack_escaped(text: str) -> str:
    # Slack reads &, < and > as markup (links, mentions); alert text is shown as it is.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def webhook_payload(delivery: Delivery) -> dict:
    """The Slack-compatible JSON of a delivery: `text` with the subject, body and link."""
    lines = [f"*{_slack_escaped(delivery.subject)}*"]
    if delivery.body:
        lines.append(_slack_escaped(delivery.body))
    if delivery.link:
        lines.append(f"<{_absolute(delivery.link)}|Open in CAI Audit>")
    return {"text": "\n".join(lines)}


def _send(delivery: Delivery) -> None:
    channel = delivery.channel
    if channel.kind == Channel.Kind.EMAIL:
        link = _absolute(delivery.link)
        message = f"{delivery.body}\n\n{link}\n" if link else f"{delivery.body}\n"
        send_mail(
            subject=f"[CAI Audit] {delivery.subject}",
            message=message,
            from_email=None,
            recipient_list=[channel.target],
        )
    else:
        webhook_post(channel.target, webhook_payload(delivery))


def delivery_attempt(*, delivery_id: int) -> Delivery | None:
    """Send one pending delivery once and record it: sent, or the (scrubbed) error of the
    attempt. A URL the policy refuses, or a channel switched off, fails it for good. None when
    the delivery is gone or no longer pending (a redelivered message).

    Raises DeliveryError when the attempt failed and a retry may work."""
    pending = Delivery.objects.filter(pk=delivery_id, status=Delivery.Status.PENDING)
    pending.update(attempts=F("attempts") + 1)
    delivery = pending.select_related("channel").first()
    if delivery is None:
        return None
    if not delivery.channel.active:
        delivery_fail(delivery_id=delivery.pk, error="The channel was switched off.")
        return delivery
    try:
        _send(delivery)
    except WebhookRefused as error:
        delivery_fail(delivery_id=delivery.pk, error=f"Refused: {error}")
        return delivery
    except Exception as error:  # any failure of mail or HTTP is recorded, then retried
        text = error_scrubbed(error, delivery.channel.target)
        Delivery.objects.filter(pk=delivery.pk).update(error=text)
        logger.warning(
            "Delivery %s (channel %s, %s) failed: %s",
            delivery.pk,
            delivery.channel_id,
            delivery.event,
            text,
        )
        raise DeliveryError(text) from None
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.SENT, sent_at=timezone.now(), error=""
    )
    return delivery


def delivery_fail(*, delivery_id: int, error: str) -> None:
    """Record a delivery failed for good (the task's failure hook, once its retries are spent).
    A delivery already sent stays sent."""
    Delivery.objects.filter(~Q(status=Delivery.Status.SENT), pk=delivery_id).update(
        status=Delivery.Status.FAILED, error=error[:2000]
    )
    logger.warning("Delivery %s failed for good: %s", delivery_id, error[:2000])
