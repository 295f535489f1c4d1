"""Reads for human review: queue progress, what a reviewer may see, adjudication context."""

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count, Prefetch, Q, QuerySet

from cai_audit import permissions
from labeling import kinds

from .models import Adjudication, Review, ReviewQueue, ReviewSlot, SampledLabel


def queues_visible_to(user) -> QuerySet[ReviewQueue]:
    """Leads see every queue; reviewers only those assigned to them."""
    if user.has_perm(permissions.LEAD_REVIEWS):
        return ReviewQueue.objects.all()
    return ReviewQueue.objects.filter(reviewers=user)


def queues_for(user) -> QuerySet[ReviewQueue]:
    """The visible queues with their progress counts (for lists)."""
    return (
        queues_visible_to(user)
        .select_related("sample")
        .annotate(
            slots_total=Count("slots", distinct=True),
            slots_done=Count(
                "slots", filter=Q(slots__status=ReviewSlot.Status.DONE), distinct=True
            ),
        )
    )


def queue_progress(*, queue: ReviewQueue) -> dict:
    slots = queue.slots.aggregate(
        total=Count("id"), done=Count("id", filter=Q(status=ReviewSlot.Status.DONE))
    )
    per_reviewer = list(
        Review.objects.filter(slot__queue=queue)
        .values("reviewer__username")
        .annotate(reviews=Count("id"))
        .order_by("-reviews")
    )
    open_adjudications = Adjudication.objects.filter(
        sampled_label__sample=queue.sample, status=Adjudication.Status.OPEN
    ).count()
    return {**slots, "per_reviewer": per_reviewer, "open_adjudications": open_adjudications}


def ai_labels_attach(sampled_labels: Iterable[SampledLabel]) -> list[SampledLabel]:
    """Load the AI labels of `sampled_labels` (with what shows them) in one query per kind, and
    attach them, so that reading `.ai_label` in a loop costs no further query."""
    sampled_labels = list(sampled_labels)
    wanted: dict[str, list[int]] = defaultdict(list)
    for sampled_label in sampled_labels:
        wanted[sampled_label.kind].append(sampled_label.label_id)
    found = {}
    for key, ids in wanted.items():
        kind = kinds.get(key)
        found[key] = kind.model.objects.select_related(*kind.related).in_bulk(ids)
    for sampled_label in sampled_labels:
        sampled_label.ai_label = found[sampled_label.kind][sampled_label.label_id]
    return sampled_labels


def _principles(labels) -> dict[tuple, object]:
    """The principles the labels were made under, keyed by (version, code, locale), in one
    query."""
    from constitutions.models import Principle

    keys = {
        (label.run.constitution_version_id, label.principle_code, label.principle_locale)
        for label in labels
    }
    if not keys:
        return {}
    where = Q()
    for version_id, code, locale in keys:
        where |= Q(version_id=version_id, code=code, locale=locale)
    found = {}
    for principle in Principle.objects.filter(where).order_by("pk"):
        found.setdefault((principle.version_id, principle.code, principle.locale), principle)
    return found


def sampled_label_context(*, sampled_label: SampledLabel, principles: dict | None = None) -> dict:
    """The AI label under review with what it judged and the principle it was made under; the
    label's kind adds what shows it (the labeling item; or, for a red-team verdict, the target
    model's answer and its case, `item` None then)."""
    label = sampled_label.ai_label
    if principles is None:
        principles = _principles([label])
    key = (label.run.constitution_version_id, label.principle_code, label.principle_locale)
    kind = kinds.get(sampled_label.kind)
    return {
        "label": label,
        "item": None,
        **kind.context(label),
        "principle": principles.get(key),
        "kind": kind,
    }


def claim_view(*, queue: ReviewQueue, slot: ReviewSlot) -> dict:
    """What a reviewer is shown of a claimed slot: the text judged and the principle, and the
    AI's answer only when the queue is not blind. The page and the API show the same."""
    context = sampled_label_context(sampled_label=slot.sampled_label)
    label, principle, kind = context["label"], context["principle"], context["kind"]
    return {
        "slot": slot.pk,
        "sampled_label": slot.sampled_label_id,
        "label_kind": kind.key,
        "principle_code": label.principle_code,
        "principle_text": principle.critique_request if principle else "",
        **kind.blind(label),
        "ai_verdict": None if queue.blind else kind.ai_answer(label),
    }


def flags_by_principle(*, version_id: int) -> dict[str, list]:
    """Reviewers' "principle ambiguous" flags on labels made under this version, by code."""
    from .models import PrincipleFlag

    flags: dict[str, list] = {}
    rows = PrincipleFlag.objects.filter(constitution_version_id=version_id).select_related(
        "reviewer"
    )
    for flag in rows:
        flags.setdefault(flag.principle_code, []).append(flag)
    return flags


def adjudications_open(*, limit: int = 50) -> list[dict]:
    """Open adjudications with what a lead reads: each label with its item or answer, principle
    and reviews, in a fixed number of queries whatever the count."""
    adjudications = list(
        Adjudication.objects.filter(status=Adjudication.Status.OPEN)
        .select_related("sampled_label")
        .prefetch_related(
            Prefetch("sampled_label__reviews", queryset=Review.objects.select_related("reviewer"))
        )[:limit]
    )
    labels = ai_labels_attach(adjudication.sampled_label for adjudication in adjudications)
    principles = _principles([label.ai_label for label in labels])
    return [
        {
            "adjudication": adjudication,
            "reviews": list(adjudication.sampled_label.reviews.all()),
            **sampled_label_context(
                sampled_label=adjudication.sampled_label, principles=principles
            ),
        }
        for adjudication in adjudications
    ]


def sample_estimates(*, sample) -> dict:
    """The AI error rate the sample's gold labels imply: per stratum (Wilson interval) and for
    the whole population, weighted by the recorded inclusion probabilities (Horvitz-Thompson)."""
    from stats import horvitz_thompson_rate, wilson_interval

    rows = list(
        sample.labels.filter(gold__isnull=False).values_list(
            "stratum", "inclusion_probability", "gold__ai_correct"
        )
    )
    strata: dict[str, list[int]] = {}
    for stratum, _, ai_correct in rows:
        strata.setdefault(stratum, []).append(0 if ai_correct else 1)
    per_stratum = [
        {"stratum": name, "estimate": wilson_interval(sum(errors), len(errors))}
        for name, errors in sorted(strata.items())
    ]
    overall = horvitz_thompson_rate(
        [0 if ai_correct else 1 for _, _, ai_correct in rows],
        [pi for _, pi, _ in rows],
        sample.population_size,
    )
    return {
        "gold": len(rows),
        "sampled": sample.sample_size,
        "per_stratum": per_stratum,
        "overall": overall,
        "unweighted": wilson_interval(sum(1 for *_, ok in rows if not ok), len(rows)),
    }
