"""The delivery task: one per delivery (a channel and an alert), retried with backoff on any
failed attempt; once the retries are spent the delivery is logged as failed."""

from cai_audit.work.tasks import queued_task

from .services.deliveries import DeliveryError, delivery_attempt, delivery_fail


def _give_up(delivery_id: int, error: str) -> None:
    delivery_fail(delivery_id=delivery_id, error=error)


@queued_task(give_up=_give_up, autoretry_for=(DeliveryError,))
def delivery_send(delivery_id: int) -> None:
    delivery_attempt(delivery_id=delivery_id)
