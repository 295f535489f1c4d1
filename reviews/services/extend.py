"""Samples that grow: automation rules and scheduled draws add labels to their own sample as
labels arrive or windows close. Each added label keeps the inclusion probability of the design
that picked it, and the sample's population grows by the labels the design looked at, so the
Horvitz-Thompson estimates over the whole sample stay unbiased."""

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F

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


def hand_out_position(seed: int, label_id: int) -> int:
    """Where a label added later stands in its queue: a hash of (sample seed, label id) in
    [0, 2**31), so labels are handed out in a random order that needs no look at the queue
    (queue_open shuffles the labels of a sample drawn at once the same way)."""
    digest = hashlib.blake2b(f"{seed}:{label_id}".encode(), digest_size=4).digest()
    return int.from_bytes(digest, "big") >> 1


@transaction.atomic
def sample_extend(
    *,
    sample: ReviewSample,
    drawn: Sequence[Drawn],
    population_added: int,
    facts: Mapping[int, dict] | None = None,
    queue: ReviewQueue | None = None,
    grow_counts: bool = True,
) -> int:
    """Add `drawn` labels to a growing sample (and `overlap` open slots each to its queue), and
    grow its population by `population_added`. A label already in the sample is not added again
    (a re-delivered arrival). `facts` (label id -> SampledLabel fact fields, as `label_facts`
    gives them) and `queue` (the sample's queue) spare their queries when the caller read them
    already. Called by automation's services, which checked permission when the rule or
    schedule was saved: the system acts here. Returns how many labels were added.

    Locking: none taken; the counts grow with UPDATE ... SET n = n + k, and the unique
    (sample, kind, label_id) constraint refuses a label two concurrent deliveries both add (the
    later transaction fails and rolls back whole). `grow_counts=False` leaves the sample's counts
    to the caller (samples_grow), which grows them last, so that concurrent deliveries hold the
    sample's row lock only for the end of their transactions."""
    ids = [d.label_id for d in drawn]
    present = set(
        SampledLabel.objects.filter(sample_id=sample.pk, label_id__in=ids).values_list(
            "label_id", flat=True
        )
    )
    fresh = [d for d in drawn if d.label_id not in present]
    if facts is None:
        facts = label_facts(sample.label_kind, [d.label_id for d in fresh]) if fresh else {}
    added = SampledLabel.objects.bulk_create(
        SampledLabel(
            sample_id=sample.pk,
            kind=sample.label_kind,
            label_id=d.label_id,
            stratum=d.stratum[:300],
            inclusion_probability=d.inclusion_probability,
            **facts[d.label_id],
        )
        for d in fresh
        if d.label_id in facts
    )
    if grow_counts:
        samples_grow({sample.pk: (population_added, len(added))})
    if queue is None:
        queue = ReviewQueue.objects.filter(sample_id=sample.pk).first()
    if queue is not None and added:
        ReviewSlot.objects.bulk_create(
            ReviewSlot(
                queue_id=queue.pk,
                sampled_label_id=label.pk,
                seat=seat,
                position=hand_out_position(sample.seed, label.label_id),
            )
            for label in added
            for seat in range(1, queue.overlap + 1)
        )
    return len(added)


def samples_grow(growth: Mapping[int, tuple[int, int]]) -> None:
    """Grow samples' population and sample sizes (sample id -> (population added, labels
    added)), in sample id order (concurrent deliveries lock the rows in the same order)."""
    for sample_id, (population_added, added) in sorted(growth.items()):
        ReviewSample.objects.filter(pk=sample_id).update(
            population_size=F("population_size") + population_added,
            sample_size=F("sample_size") + added,
        )
