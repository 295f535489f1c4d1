"""Drift and backlog checks send `alert` when over the threshold, once per key (window)."""

from datetime import UTC, datetime, timedelta

import pytest
from django_celery_beat.models import PeriodicTask

from automation.services.checks import check_run
from automation.services.rules import rule_create
from automation.services.schedules import check_create
from cai_audit.alerts import DRIFT, QUEUE_BACKLOG, alert
from cai_audit.errors import DomainError
from labeling.models import PreferenceLabel
from reviews.models import Review, ReviewSlot

from .conftest import announce, import_labels

MONDAY = datetime(2026, 11, 30, tzinfo=UTC)


@pytest.fixture
def heard():
    """Alerts as a subscriber hears them: a real receiver on the signal."""
    alerts = []

    def receiver(sender, **kwargs):
        alerts.append(kwargs)

    alert.connect(receiver, dispatch_uid="test-automation-heard")
    yield alerts
    alert.disconnect(dispatch_uid="test-automation-heard")


def _review(slots, wrong: int, moment):
    for n, slot in enumerate(slots):
        slot.status, slot.reviewer = "done", slot.queue.reviewers.first()
        slot.save(update_fields=["status", "reviewer"])
        Review.objects.create(
            slot=slot,
            sampled_label=slot.sampled_label,
            reviewer=slot.reviewer,
            preference="A",
            ai_correct=n >= wrong,
        )
    Review.objects.filter(slot__in=slots).update(created_at=moment)


def test_error_rate_drift_alerts_once_per_window(
    published, source, lead, reviewers, heard, django_capture_on_commit_callbacks
):
    rule = rule_create(
        actor=lead,
        name="All",
        label_kind="preference",
        mode="poisson",
        rate=1.0,
        overlap=1,
        reviewers=reviewers,
    )
    run, ids = import_labels(published, source, 60)
    announce(source, run, ids)
    slots = list(ReviewSlot.objects.filter(queue__sample=rule.sample).order_by("id"))
    _review(slots[:30], wrong=3, moment=MONDAY - timedelta(days=3))  # 10 % wrong
    _review(slots[30:], wrong=15, moment=MONDAY + timedelta(days=3))  # 50 % wrong
    check = check_create(
        actor=lead,
        name="Error drift",
        measure="error_rate",
        label_kind="preference",
        window="week",
        threshold=0.2,
        min_count=20,
        minute="0",
        hour="*",
    )
    assert PeriodicTask.objects.get(pk=check.periodic_task_id).task == "automation.tasks.check_run"
    next_monday = MONDAY + timedelta(days=7, hours=1)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            outcome = check_run(check_id=check.pk, now=next_monday)
        assert outcome.fired and outcome.value == 0.5 and outcome.previous == 0.1
    assert len(heard) == 1
    assert heard[0]["event"] == DRIFT and heard[0]["key"] == outcome.key
    assert "10.0% -> 50.0%" in heard[0]["subject"]
    # Below the threshold: no alert.
    calm = check_create(
        actor=lead,
        name="Calm",
        measure="error_rate",
        label_kind="preference",
        window="week",
        threshold=0.5,
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert not check_run(check_id=calm.pk, now=next_monday).fired
    assert len(heard) == 1


def test_choice_share_drift_needs_enough_labels(
    published, source, lead, heard, django_capture_on_commit_callbacks
):
    run, before = import_labels(published, source, 50, choice_a_share=0.2)
    run2, after = import_labels(published, source, 50, seed=1, choice_a_share=0.9)
    PreferenceLabel.objects.filter(id__in=before).update(created_at=MONDAY + timedelta(hours=5))
    PreferenceLabel.objects.filter(id__in=after).update(created_at=MONDAY + timedelta(days=1))
    share = check_create(
        actor=lead,
        name="Share of A",
        measure="choice_share",
        label_kind="preference",
        choice="A",
        window="day",
        threshold=0.3,
        min_count=30,
    )
    strict = check_create(
        actor=lead,
        name="Strict",
        measure="choice_share",
        label_kind="preference",
        choice="A",
        window="day",
        threshold=0.3,
        min_count=80,
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert check_run(check_id=share.pk, now=MONDAY + timedelta(days=2)).fired
        assert not check_run(check_id=strict.pk, now=MONDAY + timedelta(days=2)).fired
    assert [a["event"] for a in heard] == [DRIFT]


def test_backlog_alerts_once_per_window(
    published, source, lead, reviewers, heard, django_capture_on_commit_callbacks
):
    rule = rule_create(
        actor=lead,
        name="All",
        label_kind="preference",
        mode="poisson",
        rate=1.0,
        overlap=2,
        reviewers=reviewers,
    )
    run, ids = import_labels(published, source, 30)
    announce(source, run, ids)
    queue = rule.sample.queue
    check = check_create(
        actor=lead,
        name="Backlog",
        measure="backlog",
        queue=queue,
        threshold=50,
        window="hour",
    )
    with django_capture_on_commit_callbacks(execute=True):
        first = check_run(check_id=check.pk, now=MONDAY)
        check_run(check_id=check.pk, now=MONDAY + timedelta(minutes=30))
        check_run(check_id=check.pk, now=MONDAY + timedelta(hours=1))
    assert first.value == 60 and first.fired
    assert [a["event"] for a in heard] == [QUEUE_BACKLOG, QUEUE_BACKLOG]
    assert heard[0]["key"] != heard[1]["key"]
    assert "60 open review slots" in heard[0]["subject"]


def test_check_settings_are_checked(lead):
    for settings, named in [
        ({"measure": "vibes"}, "measure"),
        ({"measure": "choice_share", "label_kind": "preference", "choice": "C"}, "choice"),
        ({"measure": "error_rate", "label_kind": "preference", "threshold": 3}, "threshold"),
        ({"measure": "backlog", "hour": "25"}, "hour"),
    ]:
        values = {"name": "x", "threshold": 0.1, "window": "day"} | settings
        with pytest.raises(DomainError, match=named):
            check_create(actor=lead, **values)
