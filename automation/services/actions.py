"""What a rule does with the labels it picks, besides sending them to review: judge them again
with one of our critics (a labeling run over the picked labels' items), or re-run a red-team
suite.

The rule's owner acts: the run is created with their permissions, checked again at each
arrival. A refusal (they lost the permission, the critic was removed) does not undo the arrival:
it is logged and raised as a WORK_FAILED alert after commit.
"""

import logging

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from cai_audit.alerts import WORK_FAILED, alert
from cai_audit.errors import DomainError
from constitutions.models import ConstitutionVersion
from labeling import kinds
from labeling.models import Item, ItemSet
from labeling.services.critics import critic_config_default
from labeling.services.runs import run_create

from ..models import AutomationRule

logger = logging.getLogger(__name__)
# The label kinds a critic of ours can make again: their labels hold an item, and a labeling
# run has a task of the same name.
CRITIC_KINDS = ("preference", "critique")
ITEM_FIELDS = (
    "kind", "external_id", "prompt", "response_a", "response_b", "human_choice", "domain",
    "harm_category", "locale", "high_stakes", "source", "metadata",
)  # fmt: skip


def critic_kind_check(label_kind: str) -> None:
    if label_kind not in CRITIC_KINDS:
        raise DomainError(
            f"action: a critic judges {', '.join(CRITIC_KINDS)} labels, not {label_kind}."
        )


def _refused(rule: AutomationRule, what: str, error: Exception) -> None:
    """A rule's action was refused: log it, and alert WORK_FAILED after commit."""
    message = str(error)
    logger.warning("Rule %s could not %s: %s", rule.pk, what, message)
    transaction.on_commit(
        lambda: alert.send(
            sender=AutomationRule,
            event=WORK_FAILED,
            subject=f"Rule {rule.name} could not {what}",
            body=message,
            link="/automation/",
            key=f"rule:{rule.pk}:{what}:{message}"[:200],
        )
    )


def critic_judge_picked(*, rule: AutomationRule, label_ids: list[int]) -> list[int]:
    """Queue one labeling run of the rule's critic per constitution version over the items of
    `label_ids` (copied into a new item set, so the run labels exactly them). Returns the run
    ids; on a refusal, none (logged, and alerted after commit)."""
    if not label_ids:
        return []
    model = kinds.get(rule.label_kind).model
    rows = model.objects.filter(id__in=label_ids).values_list(
        "run__constitution_version_id", "item_id"
    )
    by_version: dict[int, list[int]] = {}
    for version_id, item_id in rows:
        by_version.setdefault(version_id, []).append(item_id)
    runs = []
    try:
        with transaction.atomic():
            for version_id, item_ids in sorted(by_version.items()):
                items = Item.objects.filter(id__in=item_ids).order_by("id")
                item_set = ItemSet.objects.create(
                    name=f"Rule {rule.name}: {timezone.now():%Y-%m-%d %H:%M:%S}"[:200],
                    item_count=len(item_ids),
                )
                Item.objects.bulk_create(
                    Item(
                        item_set=item_set, line=n + 1, **{f: getattr(item, f) for f in ITEM_FIELDS}
                    )
                    for n, item in enumerate(items)
                )
                run = run_create(
                    actor=rule.created_by,
                    constitution_version=ConstitutionVersion.objects.get(pk=version_id),
                    item_set=item_set,
                    critic=rule.critic,
                    task=rule.label_kind,
                )
                runs.append(run.pk)
    except (DomainError, PermissionDenied) as error:
        _refused(rule, f"judge its labels with {rule.critic}", error)
        return []
    return runs


def suite_rerun_after_picks(*, rule: AutomationRule, label_ids: list[int]) -> int | None:
    """Re-run the rule's red-team suite (its regression target, judge, operators and
    temperatures) against the newest constitution version among the picked labels, unless a
    run of the suite is already under way (it will cover them). Returns the new run's id, or
    None; a refusal is logged and alerted after commit, as for critics."""
    from redteam.models import Run
    from redteam.services.runs import run_create as redteam_run_create

    if not label_ids:
        return None
    busy = (Run.Status.QUEUED, Run.Status.PREPARING, Run.Status.RUNNING)
    if Run.objects.filter(suite_id=rule.suite_id, status__in=busy).exists():
        return None
    kind = kinds.get(rule.label_kind)
    newest = (
        kind.model.objects.filter(id__in=label_ids)
        .order_by(f"-{kind.lookup('version')}")
        .values_list(kind.lookup("version"), flat=True)
        .first()
    )
    suite = rule.suite
    try:
        with transaction.atomic():
            run = redteam_run_create(
                actor=rule.created_by,
                suite=suite,
                constitution_version=ConstitutionVersion.objects.get(pk=newest),
                target=suite.regression_target or critic_config_default(),
                judge=suite.regression_judge or critic_config_default(),
                operators=suite.regression_operators,
                temperatures=suite.regression_temperatures or (0.0,),
            )
    except (DomainError, PermissionDenied) as error:
        _refused(rule, f"re-run {suite}", error)
        return None
    return run.pk
