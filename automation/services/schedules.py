"""Saving, pausing and deleting scheduled draws and checks; each keeps its PeriodicTask in step
(automation.beat) in the same transaction."""

from collections.abc import Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from cai_audit.audit import audit_record
from cai_audit.errors import DomainError
from cai_audit.permissions import permission_require
from cai_audit.roles import user_or_none
from labeling import kinds
from reviews.models import ReviewSample
from reviews.population import STRATA_FIELDS
from reviews.services.extend import sample_open_growing

from ..beat import crontab_check, periodic_task_delete, periodic_task_sync
from ..filters import rule_q
from ..models import Check, DrawSchedule, Window
from .rules import MANAGE

CRONTAB = ("minute", "hour", "day_of_week", "day_of_month", "month_of_year")
DRAW_TASK = "automation.tasks.schedule_run"
CHECK_TASK = "automation.tasks.check_run"
SCHEDULE_FIELDS = ("name", "label_filter", "strategy", "strata", "n", "window", *CRONTAB)
CHECK_FIELDS = (
    "name",
    "measure",
    "label_kind",
    "label_filter",
    "choice",
    "window",
    "threshold",
    "min_count",
    "queue",
    *CRONTAB,
)


def _crontab(values: dict) -> dict:
    crontab = {field: str(values.get(field, "*")).strip() for field in CRONTAB}
    try:
        crontab_check(crontab)
    except ValueError as error:
        raise DomainError(str(error)) from None
    return crontab


def _sync(owner, task: str) -> None:
    crontab = {field: getattr(owner, field) for field in CRONTAB}
    periodic_task_sync(owner=owner, task=task, crontab=crontab, enabled=not owner.paused)


def _schedule_check(values: dict) -> None:
    kinds.get(values["label_kind"])
    rule_q(label_kind=values["label_kind"], stored=values.get("label_filter") or {})
    if values.get("strategy") not in DrawSchedule.Strategy.values:
        raise DomainError(f"strategy: use one of {', '.join(DrawSchedule.Strategy.values)}.")
    unknown = set(values.get("strata") or ()) - set(STRATA_FIELDS)
    if unknown:
        raise DomainError(f"strata: unknown field(s) {', '.join(sorted(unknown))}.")
    if not 1 <= int(values.get("n") or 0) <= 20_000:
        raise DomainError("n: draw between 1 and 20,000 labels a run.")
    if values.get("window") not in Window.values:
        raise DomainError("window: choose hour, day or week.")
    if not str(values.get("name", "")).strip():
        raise DomainError("name: a schedule needs a name.")


@transaction.atomic
def schedule_create(
    *,
    actor: AbstractBaseUser | None,
    label_kind: str,
    reviewers: Sequence[AbstractBaseUser] = (),
    overlap: int = 2,
    blind: bool = True,
    seed: int = 0,
    **values,
) -> DrawSchedule:
    """Save a scheduled draw, open its growing sample and queue, and its PeriodicTask. Raises
    PermissionDenied without manage_automation (and draw and lead permissions for the queue),
    DomainError naming the first setting that cannot work."""
    permission_require(actor, MANAGE, action="manage scheduled draws")
    unknown = set(values) - set(SCHEDULE_FIELDS)
    if unknown:
        raise DomainError(f"Unknown schedule setting(s): {', '.join(sorted(unknown))}.")
    values.setdefault("strategy", DrawSchedule.Strategy.STRATIFIED)
    _schedule_check({"label_kind": label_kind, **values})
    crontab = _crontab(values)
    schedule = DrawSchedule.objects.create(
        label_kind=label_kind,
        overlap=overlap,
        blind=blind,
        seed=seed,
        created_by=user_or_none(actor),
        **(values | crontab),
    )
    schedule.reviewers.set(reviewers)
    schedule.sample = sample_open_growing(
        actor=actor,
        name=f"Schedule: {schedule.name}",
        label_kind=label_kind,
        strategy=ReviewSample.Strategy.WINDOWED,
        seed=seed,
        reviewers=list(reviewers),
        overlap=overlap,
        blind=blind,
        parameters={
            "schedule": schedule.pk,
            "filter": schedule.label_filter,
            "n": schedule.n,
            "strata": schedule.strata,
            "window": schedule.window,
        },
    )
    schedule.save(update_fields=["sample"])
    _sync(schedule, DRAW_TASK)
    audit_record(
        actor=actor,
        action="automation.schedule_created",
        target=schedule,
        scope=f"schedule:{schedule.pk}",
        summary=f"Scheduled draw {schedule.name} ({schedule.crontab_text})",
    )
    return schedule


def _update(actor, owner, allowed, changes, check, task):
    unknown = set(changes) - set(allowed)
    if unknown:
        raise DomainError(f"These cannot change: {', '.join(sorted(unknown))}.")
    owner = type(owner).objects.select_for_update().get(pk=owner.pk)
    values = {field: getattr(owner, field) for field in allowed} | changes
    check(values | ({"label_kind": owner.label_kind} if "label_kind" not in allowed else {}))
    values.update(_crontab(values))
    for field in allowed:
        setattr(owner, field, values[field])
    owner.save()
    _sync(owner, task)
    audit_record(
        actor=actor,
        action=f"automation.{owner._meta.model_name}_updated",
        target=owner,
        scope=f"{owner._meta.model_name}:{owner.pk}",
        summary=f"{owner} changed",
        payload={"fields": sorted(changes)},
    )
    return owner


@transaction.atomic
def schedule_update(
    *, actor: AbstractBaseUser | None, schedule: DrawSchedule, **changes
) -> DrawSchedule:
    """Change a scheduled draw (not its kind: its sample is of one kind). Later windows use the
    new design; drawn ones keep their probabilities. Raises PermissionDenied, DomainError."""
    permission_require(actor, MANAGE, action="manage scheduled draws")
    return _update(actor, schedule, SCHEDULE_FIELDS, changes, _schedule_check, DRAW_TASK)


def _check_check(values: dict) -> None:
    if values.get("measure") not in Check.Measure.values:
        raise DomainError(f"measure: use one of {', '.join(Check.Measure.values)}.")
    if not str(values.get("name", "")).strip():
        raise DomainError("name: a check needs a name.")
    threshold = values.get("threshold")
    if threshold is None or not 0 <= float(threshold) <= 1e9:
        raise DomainError("threshold: a number from 0 up.")
    if values.get("window") not in Window.values:
        raise DomainError("window: choose hour, day or week.")
    if values["measure"] == Check.Measure.BACKLOG:
        return
    kind = kinds.get(values.get("label_kind"))
    rule_q(label_kind=kind.key, stored=values.get("label_filter") or {})
    if float(threshold) > 1:
        raise DomainError("threshold: a drift threshold is a change in a share, 0 to 1.")
    if (
        values["measure"] == Check.Measure.CHOICE_SHARE
        and values.get("choice") not in kind.ai_choices
    ):
        raise DomainError(
            f"choice: {kind.verbose_name} choose among {', '.join(kind.ai_choices) or 'nothing'}."
        )


@transaction.atomic
def check_create(*, actor: AbstractBaseUser | None, **values) -> Check:
    """Save a drift or backlog check and its PeriodicTask. Raises PermissionDenied without
    manage_automation, DomainError naming the first setting that cannot work."""
    permission_require(actor, MANAGE, action="manage checks")
    unknown = set(values) - set(CHECK_FIELDS)
    if unknown:
        raise DomainError(f"Unknown check setting(s): {', '.join(sorted(unknown))}.")
    _check_check(values)
    check = Check.objects.create(created_by=user_or_none(actor), **(values | _crontab(values)))
    _sync(check, CHECK_TASK)
    audit_record(
        actor=actor,
        action="automation.check_created",
        target=check,
        scope=f"check:{check.pk}",
        summary=f"Check {check.name} ({check.measure}, {check.crontab_text})",
    )
    return check


@transaction.atomic
def check_update(*, actor: AbstractBaseUser | None, check: Check, **changes) -> Check:
    """Change a check. Raises PermissionDenied, DomainError."""
    permission_require(actor, MANAGE, action="manage checks")
    return _update(actor, check, CHECK_FIELDS, changes, _check_check, CHECK_TASK)


@transaction.atomic
def scheduled_pause(*, actor: AbstractBaseUser | None, owner: DrawSchedule | Check, paused: bool):
    """Pause (disable its PeriodicTask) or resume a scheduled draw or check."""
    permission_require(actor, MANAGE, action="manage schedules and checks")
    owner = type(owner).objects.select_for_update().get(pk=owner.pk)
    owner.paused = paused
    owner.save(update_fields=["paused"])
    _sync(owner, DRAW_TASK if isinstance(owner, DrawSchedule) else CHECK_TASK)
    return owner


@transaction.atomic
def scheduled_delete(*, actor: AbstractBaseUser | None, owner: DrawSchedule | Check) -> None:
    """Delete a scheduled draw or check with its PeriodicTask (a draw's sample stays)."""
    permission_require(actor, MANAGE, action="manage schedules and checks")
    periodic_task_delete(owner)
    audit_record(
        actor=actor,
        action=f"automation.{owner._meta.model_name}_deleted",
        target=owner,
        scope=f"{owner._meta.model_name}:{owner.pk}",
        summary=f"{owner} deleted",
    )
    owner.delete()
