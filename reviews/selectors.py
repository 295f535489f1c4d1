"""Reads for human review: queue progress, what a reviewer may see, adjudication context."""

from django.db.models import Count, Q, QuerySet

from cai_audit import permissions

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


def sampled_label_context(*, sampled_label: SampledLabel) -> dict:
    """The AI label under review with what it judged and the principle it was made under: the
    labeling item for preferences and critiques; the target model's answer and its red-team case
    for verdicts (`item` is None then)."""
    from constitutions.models import Principle

    label = sampled_label.ai_label
    principle = Principle.objects.filter(
        version_id=label.run.constitution_version_id,
        code=label.principle_code,
        locale=label.principle_locale,
    ).first()
    if sampled_label.verdict_id is not None:
        response = label.response
        return {
            "label": label,
            "item": None,
            "response": response,
            "case": response.case,
            "principle": principle,
        }
    return {"label": label, "item": label.item, "principle": principle}


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


def adjudications_open() -> QuerySet[Adjudication]:
    """Open adjudications with the labels, items, runs and reviews a lead reads (no N+1)."""
    from django.db.models import Prefetch

    return (
        Adjudication.objects.filter(status=Adjudication.Status.OPEN)
        .select_related(
            "sampled_label__preference_label__item",
            "sampled_label__preference_label__run",
            "sampled_label__critique_label__item",
            "sampled_label__critique_label__run",
            "sampled_label__verdict__response__case",
            "sampled_label__verdict__run",
        )
        .prefetch_related(
            Prefetch("sampled_label__reviews", queryset=Review.objects.select_related("reviewer"))
        )
    )


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
