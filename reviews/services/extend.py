"""Samples that grow: automation rules and scheduled draws add labels to their own sample as
labels arrive or windows close. Each added label keeps the inclusion probability of the design
that picked it, and the sample's population grows by the labels the design looked at, so the
Horvitz-Thompson estimates over the whole sample stay unbiased."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F, Max

from cai_audit import permissions
from cai_audit.errors import DomainError
from cai_audit.permissions import permission_require
from cai_audit.roles import user_or_none
from labeling import kinds

from ..models import ReviewQueue, ReviewSample, ReviewSlot, SampledLabel
from .samples import label_facts


@dataclass(frozen=True)
class Drawn:
    """A label a design picked: its id, stratum and inclusion probability (0 < pi <= 1)."""

    label_id: int
    stratum: str
    inclusion_probability: float


@transaction.atomic
def sample_open_growing(
    *,
    actor: AbstractBaseUser | None,
    name: str,
    label_kind: str,
    strategy: str,
    parameters: dict,
    seed: int,
    reviewers: Sequence[AbstractBaseUser],
    overlap: int,
    blind: bool,
) -> ReviewSample:
    """An empty sample that will grow, with its review queue open (`overlap` reviews a label).
    Raises PermissionDenied without the draw and lead permissions; DomainError for an unknown
    kind or an overlap above the number of reviewers."""
    from .queues import queue_open

    permission_require(actor, permissions.DRAW_SAMPLE, action="draw review samples")
    kinds.get(label_kind)
    if strategy not in (ReviewSample.Strategy.POISSON, ReviewSample.Strategy.WINDOWED):
        raise DomainError(f"A growing sample is Poisson or windowed, not {strategy!r}.")
    sample = ReviewSample.objects.create(
        name=name,
        label_kind=label_kind,
        strategy=strategy,
        parameters=parameters,
        seed=seed,
        population_size=0,
        sample_size=0,
        created_by=user_or_none(actor),
    )
    queue_open(
        actor=actor, sample=sample, reviewers=reviewers, name=name, overlap=overlap, blind=blind
    )
    return sample


@transaction.atomic
def sample_extend(*, sample: ReviewSample, drawn: Sequence[Drawn], population_added: int) -> int:
    """Add `drawn` labels to a growing sample (and `overlap` open slots each to its queue), and
    grow its population by `population_added`. A label already in the sample is not added again
    (a re-delivered arrival). Called by automation's services, which checked permission when the
    rule or schedule was saved: the system acts here. Returns how many labels were added.

    Locking: takes the sample row FOR UPDATE, so concurrent arrivals append in turn."""
    sample = ReviewSample.objects.select_for_update().get(pk=sample.pk)
    ids = [d.label_id for d in drawn]
    present = set(
        SampledLabel.objects.filter(sample=sample, label_id__in=ids).values_list(
            "label_id", flat=True
        )
    )
    fresh = [d for d in drawn if d.label_id not in present]
    facts = label_facts(sample.label_kind, [d.label_id for d in fresh]) if fresh else {}
    added = SampledLabel.objects.bulk_create(
        SampledLabel(
            sample=sample,
            kind=sample.label_kind,
            label_id=d.label_id,
            stratum=d.stratum[:300],
            inclusion_probability=d.inclusion_probability,
            **facts[d.label_id],
        )
        for d in fresh
        if d.label_id in facts
    )
    ReviewSample.objects.filter(pk=sample.pk).update(
        population_size=F("population_size") + population_added,
        sample_size=F("sample_size") + len(added),
    )
    queue = ReviewQueue.objects.filter(sample=sample).first()
    if queue is not None and added:
        start = (queue.slots.aggregate(top=Max("position"))["top"] or -1) + 1
        ReviewSlot.objects.bulk_create(
            ReviewSlot(queue=queue, sampled_label=label, seat=seat, position=start + position)
            for position, label in enumerate(added)
            for seat in range(1, queue.overlap + 1)
        )
    return len(added)
