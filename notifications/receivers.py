"""The one receiver of `cai_audit.alerts.alert`: once the sender's transaction commits, each
subscribed channel gets a logged delivery and a task that sends it."""

from functools import partial

from django.db import transaction

from cai_audit.alerts import EVENTS

from .services.deliveries import alert_deliveries_create

EVENT_NAMES = frozenset(value for value, _ in EVENTS)


def alert_received(
    sender, *, event: str, subject: str, key: str, body: str = "", link: str = "", **kwargs
) -> None:
    """Deliver the alert after commit (nobody hears about work that was rolled back).
    `recipients` (user ids), when sent, limits it to those users' own channels.

    Raises ValueError at once for an unknown event: a sender's mistake, not a delivery's."""
    if event not in EVENT_NAMES:
        raise ValueError(f"Unknown alert event {event!r}.")
    transaction.on_commit(
        partial(
            alert_deliveries_create,
            event=event,
            subject=subject,
            body=body,
            link=link,
            key=key,
            recipients=kwargs.get("recipients"),
        )
    )
