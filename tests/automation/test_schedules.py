"""Window rules and scheduled draws: n per window by simple random sampling (pi = n / N of the
window, the window as stratum), PeriodicTask rows kept in step with the crontab, pause and
delete; the scheduled task draws when executed."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from django_celery_beat.models import PeriodicTask

from automation import tasks
from automation.models import DrawSchedule
from automation.services.rules import rule_create, rule_pause
from automation.services.schedules import (
    schedule_create,
    schedule_update,
    scheduled_delete,
    scheduled_pause,
)
from automation.services.windows import rule_windows_close, schedule_run
from cai_audit.errors import DomainError
from labeling.models import PreferenceLabel
from reviews.models import ReviewSample, ReviewSlot, SampledLabel

from .conftest import import_labels

MONDAY = datetime(2026, 11, 30, tzinfo=UTC)


def _made_at(ids, moment):
    PreferenceLabel.objects.filter(id__in=ids).update(created_at=moment)


def test_window_rule_draws_n_per_window_with_pi_n_over_n(published, source, lead, reviewers):
    rule = rule_create(
        actor=lead,
        name="Daily 10",
        label_kind="preference",
        mode="window",
        window="day",
        per_window=10,
        reviewers=reviewers,
        overlap=2,
        now=MONDAY + timedelta(hours=3),
    )
    periodic = PeriodicTask.objects.get(pk=rule.periodic_task_id)
    assert periodic.task == "automation.tasks.rule_windows_close"
    assert json.loads(periodic.args) == [rule.pk]
    assert (periodic.crontab.minute, periodic.crontab.hour) == ("0", "0") and periodic.enabled
    run, ids = import_labels(published, source, 70)
    _made_at(ids[:40], MONDAY + timedelta(hours=5))  # Monday's window: 40 labels
    _made_at(ids[40:], MONDAY + timedelta(days=1, hours=2))  # Tuesday's: 30
    assert rule_windows_close(rule_id=rule.pk, now=MONDAY + timedelta(hours=23)) == 0
    sent = rule_windows_close(rule_id=rule.pk, now=MONDAY + timedelta(days=2, minutes=1))
    assert sent == 20
    sampled = SampledLabel.objects.filter(sample=rule.sample)
    by_window = {
        stratum: sorted(
            set(sampled.filter(stratum=stratum).values_list("inclusion_probability", flat=True))
        )
        for stratum in sampled.values_list("stratum", flat=True).distinct()
    }
    assert by_window == {
        "day:2026-11-30T00:00+00:00": [10 / 40],
        "day:2026-12-01T00:00+00:00": [10 / 30],
    }
    assert ReviewSample.objects.get(pk=rule.sample_id).population_size == 70
    assert ReviewSlot.objects.filter(queue__sample=rule.sample).count() == 40
    # The windows are closed: running again draws nothing more.
    assert rule_windows_close(rule_id=rule.pk, now=MONDAY + timedelta(days=2, hours=5)) == 0
    rule.refresh_from_db()
    assert (rule.labels_seen, rule.labels_sent) == (70, 20)
    rule_pause(actor=lead, rule=rule, paused=True)
    assert not PeriodicTask.objects.get(pk=rule.periodic_task_id).enabled


@pytest.fixture
def weekly(lead, reviewers):
    return schedule_create(
        actor=lead,
        name="Monday HARM",
        label_kind="preference",
        n=12,
        window="week",
        strata=["principle"],
        minute="0",
        hour="6",
        day_of_week="1",
        reviewers=reviewers,
        overlap=2,
        label_filter={"categories": ["harmlessness"]},
    )


def test_schedule_keeps_its_periodic_task_in_step(weekly, lead):
    periodic = PeriodicTask.objects.get(pk=weekly.periodic_task_id)
    assert periodic.task == "automation.tasks.schedule_run"
    crontab = periodic.crontab
    assert (crontab.minute, crontab.hour, crontab.day_of_week) == ("0", "6", "1")
    schedule_update(actor=lead, schedule=weekly, hour="7", n=20)
    periodic.refresh_from_db()
    assert periodic.crontab.hour == "7"
    scheduled_pause(actor=lead, owner=weekly, paused=True)
    periodic.refresh_from_db()
    assert not periodic.enabled
    scheduled_delete(actor=lead, owner=weekly)
    assert not PeriodicTask.objects.filter(pk=periodic.pk).exists()
    assert not DrawSchedule.objects.exists()


def test_schedule_refuses_bad_settings(lead, reviewers):
    for settings, named in [
        ({"minute": "61"}, "minute"),
        ({"day_of_week": "funday"}, "day of week"),
        ({"strata": ["colour"]}, "strata"),
        ({"n": 0}, "n:"),
        ({"window": "year"}, "window"),
    ]:
        values = {"name": "x", "n": 5, "window": "week"} | settings
        with pytest.raises(DomainError, match=named):
            schedule_create(actor=lead, label_kind="preference", reviewers=reviewers, **values)
    assert not PeriodicTask.objects.filter(name__startswith="automation:").exists()


def test_scheduled_draw_adds_last_week_as_strata(weekly, published, source):
    run, ids = import_labels(published, source, 90)
    _made_at(ids, MONDAY + timedelta(days=2))  # last week, seen from next Monday
    harm = PreferenceLabel.objects.filter(id__in=ids, principle_category="harmlessness").count()
    added = schedule_run(schedule_id=weekly.pk, now=MONDAY + timedelta(days=7, hours=6))
    assert added == 12
    sample = ReviewSample.objects.get(pk=weekly.sample_id)
    assert sample.population_size == harm
    sampled = SampledLabel.objects.filter(sample=sample)
    strata = set(sampled.values_list("stratum", flat=True))
    assert strata == {"week:2026-11-30T00:00+00:00|HARM-01", "week:2026-11-30T00:00+00:00|HARM-02"}
    # Proportional allocation: sum of 1/pi over the sample is the window's population.
    assert (
        round(sum(1 / p for p in sampled.values_list("inclusion_probability", flat=True))) == harm
    )
    # The same week is not drawn twice.
    assert schedule_run(schedule_id=weekly.pk, now=MONDAY + timedelta(days=7, hours=7)) == 0


def test_executing_the_scheduled_task_draws(weekly, published, source):
    """The task beat calls, run as a worker runs it (Task.apply: no broker)."""
    run, ids = import_labels(published, source, 30)
    now = datetime.now(UTC)
    _made_at(ids, now - timedelta(days=7))
    result = tasks.schedule_run.apply(args=[weekly.pk])
    assert result.successful()
    assert SampledLabel.objects.filter(sample=weekly.sample).count() == result.result > 0


def test_beat_database_scheduler_reads_the_schedule(weekly, lead):
    """django-celery-beat's DatabaseScheduler (what `make run` starts) loads the entry (it
    loads only crontabs due within two hours of now: this one runs every hour)."""
    from django_celery_beat.schedulers import DatabaseScheduler

    from cai_audit.celery import app

    schedule_update(actor=lead, schedule=weekly, hour="*", minute="30")
    scheduler = DatabaseScheduler(app=app, lazy=True)
    entries = scheduler.all_as_schedule()
    entry = entries[f"automation:drawschedule:{weekly.pk}"]
    assert entry.task == "automation.tasks.schedule_run" and entry.args == [weekly.pk]
    assert entry.schedule.minute == {30} and entry.schedule.day_of_week == {1}
