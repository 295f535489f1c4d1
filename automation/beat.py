"""Keeping django-celery-beat's PeriodicTask rows in step with what automation schedules.

Each scheduled thing (a window rule, a draw schedule, a check) owns one PeriodicTask with its
own CrontabSchedule; saving, pausing or deleting it updates, disables or deletes the task in the
same transaction, so beat (DatabaseScheduler) always runs what the pages show.
"""

import json

from django.conf import settings
from django_celery_beat.models import CrontabSchedule, PeriodicTask


def periodic_task_sync(*, owner, task: str, crontab: dict[str, str], enabled: bool) -> PeriodicTask:
    """Create or update `owner`'s PeriodicTask (owner: a model with a `periodic_task` field)
    calling `task` with the owner's id on `crontab`. Raises ValueError for a bad crontab."""
    schedule, _ = CrontabSchedule.objects.get_or_create(
        minute=crontab["minute"],
        hour=crontab["hour"],
        day_of_week=crontab["day_of_week"],
        day_of_month=crontab.get("day_of_month", "*"),
        month_of_year=crontab.get("month_of_year", "*"),
        timezone=settings.TIME_ZONE,
    )
    name = f"automation:{owner._meta.model_name}:{owner.pk}"
    periodic = owner.periodic_task or PeriodicTask(name=name)
    periodic.name, periodic.task, periodic.crontab = name, task, schedule
    periodic.interval = None
    periodic.args = json.dumps([owner.pk])
    periodic.enabled = enabled
    periodic.save()
    if owner.periodic_task_id != periodic.pk:
        owner.periodic_task = periodic
        owner.save(update_fields=["periodic_task"])
    return periodic


def periodic_task_delete(owner) -> None:
    if owner.periodic_task_id:
        PeriodicTask.objects.filter(pk=owner.periodic_task_id).delete()


def crontab_check(crontab: dict[str, str]) -> None:
    """Raise ValueError naming the field of a crontab celery cannot read."""
    from celery.schedules import crontab as celery_crontab

    fields = ("minute", "hour", "day_of_week", "day_of_month", "month_of_year")
    for field in fields:
        value = crontab.get(field, "*")
        if not value or len(value) > 60:
            raise ValueError(f"The crontab's {field.replace('_', ' ')} is empty or too long.")
        try:
            celery_crontab(**{field: value})
        except Exception as error:  # celery raises ValueError or its own ParseException
            raise ValueError(
                f"The crontab's {field.replace('_', ' ')} {value!r}: {error}"
            ) from None
