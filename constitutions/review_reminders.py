"""The daily reminder: each constitution past its review date raises the
CONSTITUTION_REVIEW_DUE alert (cai_audit.alerts), once per due date, so the owners hear about it
once and again only after a review restarts the cadence and the next date passes."""

from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cai_audit.alerts import CONSTITUTION_REVIEW_DUE, alert

from .models import Constitution


def constitution_reviews_due_alert(*, now: datetime | None = None) -> list[int]:
    """Send the alert for every constitution whose review is due at `now` (default: now), after
    commit; key = constitution and due date, so a daily run repeats nothing. Returns the ids of
    the constitutions it alerted about. Raises nothing of its own."""
    now = now or timezone.now()
    due = [
        constitution
        for constitution in Constitution.objects.prefetch_related("owners").order_by("pk")
        if constitution.review_due_at <= now
    ]
    for constitution in due:
        due_on = constitution.review_due_at.date().isoformat()
        owners = ", ".join(owner.get_username() for owner in constitution.owners.all())
        transaction.on_commit(
            lambda constitution=constitution, due_on=due_on, owners=owners: alert.send(
                sender=Constitution,
                event=CONSTITUTION_REVIEW_DUE,
                subject=f"{constitution.name} is due for review (since {due_on})",
                body=(
                    f"The constitution {constitution.name} was due for its review on {due_on} "
                    f"(every {constitution.review_cadence_days} days). "
                    f"Owners: {owners or 'none named'}."
                ),
                link=reverse("constitutions:detail", args=[constitution.pk]),
                key=f"constitution:{constitution.pk}:review-due:{due_on}",
            )
        )
    return [constitution.pk for constitution in due]
