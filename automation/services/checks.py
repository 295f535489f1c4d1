"""Drift and backlog checks: measure, compare with the threshold, and send `alert` once per key.

Drift compares the last whole window with the one before it (e.g. last week with the week
before): the AI error rate among reviewed labels (reviews marked ai_correct False), or the share
of one AI choice among AI labels. Backlog counts the open slots of a queue (or all queues). The
alert's key names the check and the window, so a check that runs again in the same window does
not alert again (the notifications app also delivers one alert per key and subscription).
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from cai_audit.alerts import DRIFT, QUEUE_BACKLOG, alert
from labeling import kinds
from reviews.models import Review, ReviewSlot
from reviews.population import sampled_label_paths

from ..designs import WINDOW_LENGTH, window_start
from ..filters import label_filter_parse, rule_q
from ..models import Check


@dataclass(frozen=True)
class Outcome:
    value: float | None  # the current share, or the open slots
    previous: float | None
    fired: bool
    key: str


def _share(rows: dict) -> float | None:
    return rows["hits"] / rows["n"] if rows["n"] else None


def _error_rates(check: Check, windows) -> list[dict]:
    where = label_filter_parse(check.label_filter).q(sampled_label_paths("sampled_label__"))
    reviews = Review.objects.filter(where, sampled_label__kind=check.label_kind)
    return [
        reviews.filter(created_at__gte=start, created_at__lt=end).aggregate(
            n=Count("id"), hits=Count("id", filter=Q(ai_correct=False))
        )
        for start, end in windows
    ]


def _choice_shares(check: Check, windows) -> list[dict]:
    kind = kinds.get(check.label_kind)
    labels = kind.model.objects.filter(rule_q(label_kind=kind.key, stored=check.label_filter))
    at = kind.lookup("labeled_at")
    return [
        labels.filter(**{f"{at}__gte": start, f"{at}__lt": end}).aggregate(
            n=Count("id"), hits=Count("id", filter=Q(**{kind.ai_choice_field: check.choice}))
        )
        for start, end in windows
    ]


def _send(check: Check, event: str, subject: str, body: str, key: str, link: str) -> None:
    transaction.on_commit(
        lambda: alert.send(
            sender=Check, event=event, subject=subject, body=body, link=link, key=key
        )
    )


@transaction.atomic
def check_run(*, check_id: int, now: datetime | None = None) -> Outcome:
    """Run a check once and alert if it fires (once per key). A paused check measures nothing.

    Locking: the check row FOR UPDATE, so two runs of one check alert once."""
    check = Check.objects.select_for_update().get(pk=check_id)
    now = timezone.localtime(now or timezone.now())
    end = window_start(now, check.window)
    key = f"check:{check.pk}:{end.isoformat(timespec='minutes')}"
    if check.paused:
        return Outcome(None, None, False, key)
    if check.measure == Check.Measure.BACKLOG:
        slots = ReviewSlot.objects.filter(status=ReviewSlot.Status.OPEN)
        if check.queue_id:
            slots = slots.filter(queue_id=check.queue_id)
        value, previous = float(slots.count()), None
        fired = value > check.threshold
        where = f"queue {check.queue}" if check.queue_id else "all review queues"
        subject = f"{where}: {int(value)} open review slots (over {check.threshold:g})"
        link = f"/reviews/queues/{check.queue_id}/" if check.queue_id else "/reviews/"
        event = QUEUE_BACKLOG
    else:
        length = WINDOW_LENGTH[check.window]
        windows = [(end - 2 * length, end - length), (end - length, end)]
        measure = _error_rates if check.measure == Check.Measure.ERROR_RATE else _choice_shares
        before, current = measure(check, windows)
        value, previous = _share(current), _share(before)
        enough = min(before["n"], current["n"]) >= max(check.min_count, 1)
        fired = enough and abs(value - previous) >= check.threshold
        what = (
            "AI error rate"
            if check.measure == Check.Measure.ERROR_RATE
            else f"share of {check.choice}"
        )
        subject = (
            f"{check.name}: {what} {previous or 0:.1%} -> {value or 0:.1%} "
            f"({check.window} to {end:%Y-%m-%d %H:%M})"
        )
        link, event = "/dashboards/", DRIFT
    check.last_value, check.last_run_at = value, timezone.now()
    send = fired and check.last_alert_key != key
    if send:
        check.last_alert_key = key
        body = (
            f"{subject}\nCheck: {check.name} ({check.get_measure_display()}), "
            f"threshold {check.threshold:g}."
        )
        _send(check, event, subject, body, key, link)
    check.save(update_fields=["last_value", "last_run_at", "last_alert_key"])
    return Outcome(value, previous, fired, key)
