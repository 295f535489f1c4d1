"""Saving, pausing and deleting automation rules. A review rule owns a growing sample and its
queue; a window rule owns a PeriodicTask that closes each window (automation.beat)."""

from collections.abc import Sequence
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from cai_audit import permissions
from cai_audit.audit import audit_record
from cai_audit.errors import DomainError
from cai_audit.permissions import permission_require
from cai_audit.roles import user_or_none
from reviews.models import ReviewSample
from reviews.services.extend import sample_open_growing

from ..beat import periodic_task_delete, periodic_task_sync
from ..designs import WINDOW_CRONTAB, window_start
from ..filters import rule_q
from ..models import AutomationRule
from .actions import critic_kind_check

MANAGE = permissions.MANAGE_AUTOMATION
CLOSE_TASK = "automation.tasks.rule_windows_close"
EDITABLE = (
    "name",
    "label_filter",
    "high_stakes",
    "confidence_min",
    "confidence_max",
    "rate",
    "per_window",
    "overlap",
    "blind",
    "critic",
    "suite",
)


def _design_check(values: dict) -> None:
    """DomainError naming the first setting of a rule that cannot work."""
    rule_q(
        label_kind=values["label_kind"],
        stored=values.get("label_filter") or {},
        high_stakes=values.get("high_stakes"),
        confidence_min=values.get("confidence_min"),
        confidence_max=values.get("confidence_max"),
    )
    low, high = values.get("confidence_min"), values.get("confidence_max")
    for name, value in (("confidence_min", low), ("confidence_max", high)):
        if value is not None and not 0 <= value <= 1:
            raise DomainError(f"{name}: a confidence is between 0 and 1.")
    if low is not None and high is not None and low > high:
        raise DomainError("confidence_min is above confidence_max.")
    if values["mode"] == AutomationRule.Mode.POISSON:
        rate = values.get("rate")
        if rate is None or not 0 < rate <= 1:
            raise DomainError("rate: a Poisson rule sends each label with 0 < p <= 1.")
    elif values["mode"] == AutomationRule.Mode.WINDOW:
        n = values.get("per_window")
        if n is None or not 1 <= n <= 20_000:
            raise DomainError("per_window: draw between 1 and 20,000 labels per window.")
        if values.get("window") not in WINDOW_CRONTAB:
            raise DomainError("window: choose hour, day or week.")
    else:
        raise DomainError(f"mode: {values['mode']!r} is not poisson or window.")
    if not 1 <= int(values.get("overlap", 2)) <= 5:
        raise DomainError("overlap: between 1 and 5 reviewers per label.")
    action = values.get("action", AutomationRule.Action.REVIEW)
    if action == AutomationRule.Action.CRITIC:
        critic_kind_check(values["label_kind"])
        if values.get("critic") is None:
            raise DomainError("critic: a rule that judges with a critic names the critic.")
    elif action == AutomationRule.Action.REDTEAM:
        if values.get("suite") is None:
            raise DomainError("suite: a rule that re-runs a red-team suite names the suite.")
    elif action != AutomationRule.Action.REVIEW:
        raise DomainError(f"action: {action!r} is not one of {AutomationRule.Action.values}.")


def _beat_sync(rule: AutomationRule) -> None:
    if rule.mode != AutomationRule.Mode.WINDOW:
        periodic_task_delete(rule)
        return
    minute, hour, day_of_week = WINDOW_CRONTAB[rule.window]
    periodic_task_sync(
        owner=rule,
        task=CLOSE_TASK,
        enabled=not rule.paused,
        crontab={"minute": minute, "hour": hour, "day_of_week": day_of_week},
    )


@transaction.atomic
def rule_create(
    *,
    actor: AbstractBaseUser | None,
    name: str,
    label_kind: str,
    mode: str,
    reviewers: Sequence[AbstractBaseUser] = (),
    now: datetime | None = None,
    **settings,
) -> AutomationRule:
    """Save a rule; a review rule opens its growing sample and blind queue. Raises
    PermissionDenied without manage_automation (and the draw and lead permissions for a review
    rule, which opens a queue), DomainError naming the first setting that cannot work."""
    permission_require(actor, MANAGE, action="manage automation rules")
    if settings.get("action") == AutomationRule.Action.CRITIC:
        permission_require(actor, permissions.RUN_LABELING, action="start labeling runs")
    if settings.get("action") == AutomationRule.Action.REDTEAM:
        permission_require(actor, permissions.RUN_REDTEAM, action="start red-team runs")
    unknown = set(settings) - set(EDITABLE) - {"action", "window", "seed"}
    if unknown:
        raise DomainError(f"Unknown rule setting(s): {', '.join(sorted(unknown))}.")
    values = {"label_kind": label_kind, "mode": mode, **settings}
    _design_check(values)
    if not name.strip():
        raise DomainError("name: a rule needs a name.")
    rule = AutomationRule(name=name.strip()[:200], label_kind=label_kind, mode=mode, **settings)
    rule.created_by = user_or_none(actor)
    if mode == AutomationRule.Mode.WINDOW:
        rule.window_started_at = window_start(
            timezone.localtime(now or timezone.now()), rule.window
        )
    rule.full_clean(exclude=["sample", "periodic_task", "critic", "suite", "created_by"])
    rule.save()
    rule.reviewers.set(reviewers)
    if rule.action == AutomationRule.Action.REVIEW:
        strategy = (
            ReviewSample.Strategy.POISSON if mode == "poisson" else ReviewSample.Strategy.WINDOWED
        )
        rule.sample = sample_open_growing(
            actor=actor,
            name=f"Rule: {rule.name}",
            label_kind=label_kind,
            strategy=strategy,
            parameters={
                "rule": rule.pk,
                "filter": rule.label_filter,
                "rate": rule.rate,
                "per_window": rule.per_window,
                "window": rule.window,
            },
            seed=rule.seed,
            reviewers=list(reviewers),
            overlap=rule.overlap,
            blind=rule.blind,
        )
        rule.save(update_fields=["sample"])
    _beat_sync(rule)
    audit_record(
        actor=actor,
        action="automation.rule_created",
        target=rule,
        scope=f"rule:{rule.pk}",
        summary=f"Rule {rule.name}: {label_kind} labels, {mode}",
        payload={"filter": rule.label_filter},
    )
    return rule


@transaction.atomic
def rule_update(
    *, actor: AbstractBaseUser | None, rule: AutomationRule, **changes
) -> AutomationRule:
    """Change a rule's filter, rate or numbers (not its kind, mode or action: its sample's
    design would change under it; make a new rule). Raises PermissionDenied, DomainError."""
    permission_require(actor, MANAGE, action="manage automation rules")
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise DomainError(f"These cannot change: {', '.join(sorted(unknown))}; make a new rule.")
    rule = AutomationRule.objects.select_for_update().get(pk=rule.pk)
    values = {f: getattr(rule, f) for f in EDITABLE} | {
        "label_kind": rule.label_kind,
        "mode": rule.mode,
        "window": rule.window,
        "action": rule.action,
        **changes,
    }
    _design_check(values)
    for field, value in changes.items():
        setattr(rule, field, value.strip()[:200] if field == "name" else value)
    rule.save(update_fields=list(changes) or None)
    audit_record(
        actor=actor,
        action="automation.rule_updated",
        target=rule,
        scope=f"rule:{rule.pk}",
        summary=f"Rule {rule.name} changed",
        payload={"fields": sorted(changes)},
    )
    return rule


@transaction.atomic
def rule_pause(
    *, actor: AbstractBaseUser | None, rule: AutomationRule, paused: bool
) -> AutomationRule:
    """Pause a rule (it ignores arrivals, and its window task is disabled) or resume it.
    Raises PermissionDenied."""
    permission_require(actor, MANAGE, action="manage automation rules")
    rule = AutomationRule.objects.select_for_update().get(pk=rule.pk)
    rule.paused = paused
    rule.save(update_fields=["paused"])
    _beat_sync(rule)
    audit_record(
        actor=actor,
        action="automation.rule_paused" if paused else "automation.rule_resumed",
        target=rule,
        scope=f"rule:{rule.pk}",
        summary=f"Rule {rule.name} {'paused' if paused else 'resumed'}",
    )
    return rule


@transaction.atomic
def rule_delete(*, actor: AbstractBaseUser | None, rule: AutomationRule) -> None:
    """Delete a rule and its beat task; its sample and queue stay (reviews may be under way)."""
    permission_require(actor, MANAGE, action="manage automation rules")
    periodic_task_delete(rule)
    audit_record(
        actor=actor,
        action="automation.rule_deleted",
        target=rule,
        scope=f"rule:{rule.pk}",
        summary=f"Rule {rule.name} deleted",
    )
    rule.delete()
