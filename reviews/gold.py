"""Reads: what humans said of AI labels, one answer per AI label.

A label drawn into two samples has a sampled label, reviews and possibly a gold label in each.
`gold_winners` says which gold label speaks for the AI label (an adjudication over reviewers'
agreement, then the latest), and `review_tallies` counts the reviews of all its draws. Dataset
exports read both; each sample's own estimates keep using the gold label of its own draw.
"""

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Max,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
    Window,
)
from django.db.models.functions import NullIf, RowNumber

from labeling import kinds

from .models import GoldLabel, Review


def gold_winners(*, kind: str, labels: QuerySet | None = None) -> QuerySet:
    """(label id, preference, safety verdict, ai_correct, source) of the one gold label that
    speaks for each AI label of `kind` (of those in `labels`, if given) that has any: an
    adjudication wins over agreement, and among equals the latest (highest id). Raises
    DomainError for an unknown kind."""
    kinds.get(kind)  # DomainError for an unknown kind
    golds = GoldLabel.objects.filter(sampled_label__kind=kind)
    if labels is not None:
        golds = golds.filter(sampled_label__label_id__in=labels.values("pk"))
    adjudicated_first = Case(
        When(source=GoldLabel.Source.ADJUDICATION, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return (
        golds.annotate(
            label=F("sampled_label__label_id"),
            pick=Window(
                RowNumber(),
                partition_by=F("sampled_label__label_id"),
                order_by=[adjudicated_first.asc(), F("id").desc()],
            ),
        )
        .filter(pick=1)
        .order_by()
        .values_list("label", "preference", "safety_verdict", "ai_correct", "source")
    )


def review_tallies(*, kind: str, labels: QuerySet | None = None) -> QuerySet:
    """(label id, reviews, reviews agreeing with the AI, a corrected revision or None) per AI
    label of `kind` (of those in `labels`, if given) that has reviews, over all its draws. The
    corrected revision is the greatest non-blank one, so the choice does not depend on row order.
    Raises DomainError for an unknown kind."""
    kinds.get(kind)  # DomainError for an unknown kind
    reviews = Review.objects.filter(sampled_label__kind=kind)
    if labels is not None:
        reviews = reviews.filter(sampled_label__label_id__in=labels.values("pk"))
    return (
        reviews.values("sampled_label__label_id")
        .annotate(
            n=Count("id"),
            agree=Count("id", filter=Q(ai_correct=True)),
            corrected=Max(NullIf("corrected_revision", Value(""), output_field=TextField())),
        )
        .order_by()
        .values_list("sampled_label__label_id", "n", "agree", "corrected")
    )
