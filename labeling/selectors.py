"""Reads for the AI side: run progress and what an item page shows."""

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from cai_audit.work.progress import Progress
from constitutions.models import Principle

from .models import (
    CritiqueLabel,
    Item,
    ItemSet,
    LabelingRun,
    PreferenceLabel,
    RunBatch,
    SafetyLabel,
)

TASK_MODELS = {
    LabelingRun.Task.CRITIQUE: CritiqueLabel,
    LabelingRun.Task.PREFERENCE: PreferenceLabel,
    LabelingRun.Task.SAFETY: SafetyLabel,
}


def run_label_model(run: LabelingRun):
    return TASK_MODELS.get(run.task, PreferenceLabel)


def run_progress(*, run: LabelingRun) -> Progress:
    """Labels written and failed out of the run's total, with its rate and batches."""
    done = run_label_model(run).objects.filter(run=run).count()
    batches = run.batches.aggregate(
        done=Count("id", filter=Q(status=RunBatch.Status.DONE)),
        failed=Count("id", filter=Q(status=RunBatch.Status.FAILED)),
    )
    failed_units = 0
    if batches["failed"]:
        # Units of failed batches, less any labels those batches wrote before failing.
        failed = run.batches.filter(status=RunBatch.Status.FAILED).values_list("units", flat=True)
        failed_units = min(sum(len(units) for units in failed), run.total_units - done)
    rate = eta = None
    if run.started_at and done:
        end = run.finished_at or timezone.now()
        elapsed = max((end - run.started_at).total_seconds(), 1e-3)
        rate = done / elapsed
        remaining = run.total_units - done - failed_units
        eta = remaining / rate if not run.is_finished and rate > 0 else None
    return Progress(
        done=done,
        failed=failed_units,
        total=run.total_units,
        status=run.status,
        status_label=run.get_status_display(),
        finished=run.is_finished,
        label=f"{done} done · {failed_units} failed · {run.total_units} total · batches "
        f"{batches['done']}/{run.total_batches}",
        rate_per_s=rate,
        eta_s=eta,
        unit="labels",
        details={
            "batches_done": batches["done"],
            "batches_failed": batches["failed"],
            "batches_total": run.total_batches,
        },
    )


def run_list() -> QuerySet[LabelingRun]:
    return LabelingRun.objects.select_related(
        "constitution_version__constitution", "item_set", "critic", "judge", "source", "created_by"
    )


def item_set_list() -> QuerySet[ItemSet]:
    return ItemSet.objects.select_related("created_by").annotate(
        pairs=Count("items", filter=Q(items__kind=Item.Kind.PAIR)),
        singles=Count("items", filter=Q(items__kind=Item.Kind.SINGLE)),
    )


def item_labels(*, item: Item) -> dict:
    """Every label of the item, with the principle text each was made under."""
    critiques = list(
        CritiqueLabel.objects.filter(item=item).select_related(
            "run__constitution_version__constitution", "run__critic", "run__judge", "run__source"
        )
    )
    preferences = list(
        PreferenceLabel.objects.filter(item=item).select_related(
            "run__constitution_version__constitution", "run__critic", "run__judge", "run__source"
        )
    )
    keys = {(label.run.constitution_version_id, label.principle_code, label.principle_locale)
            for label in critiques + preferences}  # fmt: skip
    principles = {}
    if keys:
        query = Q()
        for version_id, code, locale in keys:
            query |= Q(version_id=version_id, code=code, locale=locale)
        principles = {(p.version_id, p.code, p.locale): p for p in Principle.objects.filter(query)}
    for label in critiques + preferences:
        label.principle = principles.get(
            (label.run.constitution_version_id, label.principle_code, label.principle_locale)
        )
    return {"critiques": critiques, "preferences": preferences}


def run_summary(*, run: LabelingRun) -> dict:
    """Headline numbers for a preference run: agreement with human labels, position bias. The
    position-stuck share counts only labels judged in both orders (an imported judge may report
    one order only); None when there are none."""
    if run.task != LabelingRun.Task.PREFERENCE:
        return {}
    labels = PreferenceLabel.objects.filter(run=run)
    both_orders = Q(p_a_first__isnull=False, p_a_second__isnull=False)
    stats = labels.aggregate(
        n=Count("id"),
        both_orders=Count("id", filter=both_orders),
        stuck=Count("id", filter=both_orders & Q(position_stuck=True)),
        with_human=Count("id", filter=~Q(item__human_choice="")),
        agree=Count("id", filter=~Q(item__human_choice="") & Q(choice=F("item__human_choice"))),
        mean_confidence=Coalesce(Sum("confidence"), 0.0),
    )
    n = stats["n"] or 0
    return {
        "labels": n,
        "both_orders": stats["both_orders"],
        "position_stuck_share": stats["stuck"] / stats["both_orders"]
        if stats["both_orders"]
        else None,
        "human_labelled": stats["with_human"],
        "agreement_with_humans": stats["agree"] / stats["with_human"]
        if stats["with_human"]
        else None,
        "mean_confidence": stats["mean_confidence"] / n if n else None,
    }
