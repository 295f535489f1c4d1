"""Which human answer speaks for an AI label drawn into several samples: an adjudication over
reviewers' agreement, then the latest; and the reviews of all its draws counted together."""

import pytest

from cai_audit.errors import DomainError
from reviews.gold import gold_winners, review_tallies
from reviews.models import GoldLabel, ReviewSample, SampledLabel
from reviews.services.queues import queue_open
from reviews.services.samples import sample_draw
from tests.dashboards.conftest import review_all

from .conftest import make_labels

pytestmark = pytest.mark.django_db


def draw(label, lead, name: str) -> SampledLabel:
    sample = ReviewSample.objects.create(
        name=name, label_kind="preference", strategy="random", seed=0,
        population_size=1, sample_size=1, created_by=lead,
    )  # fmt: skip
    return SampledLabel.objects.create(
        sample=sample,
        kind="preference",
        label_id=label.pk,
        stratum="all",
        inclusion_probability=1.0,
    )


def gold(sampled: SampledLabel, source: str, preference: str) -> GoldLabel:
    return GoldLabel.objects.create(
        sampled_label=sampled, source=source, preference=preference, ai_correct=True
    )


def test_an_adjudication_wins_over_a_later_agreement_and_the_latest_wins_among_equals(
    published, lead
):
    run = make_labels(published, 3)
    first, second, third = run.preferences.order_by("id")
    # first: adjudicated in one draw, then reviewers agreed in a later draw.
    gold(draw(first, lead, "a"), GoldLabel.Source.ADJUDICATION, "A")
    gold(draw(first, lead, "b"), GoldLabel.Source.AGREEMENT, "B")
    # second: reviewers agreed in two draws; the later one speaks.
    gold(draw(second, lead, "c"), GoldLabel.Source.AGREEMENT, "A")
    gold(draw(second, lead, "d"), GoldLabel.Source.AGREEMENT, "B")
    draw(third, lead, "e")  # drawn, never decided
    winners = {row[0]: row for row in gold_winners(kind="preference")}
    assert set(winners) == {first.pk, second.pk}
    assert winners[first.pk][1] == "A" and winners[first.pk][4] == "adjudication"
    assert winners[second.pk][1] == "B" and winners[second.pk][4] == "agreement"
    only_second = run.preferences.filter(pk=second.pk)
    assert [row[0] for row in gold_winners(kind="preference", labels=only_second)] == [second.pk]
    assert list(gold_winners(kind="critique")) == []
    with pytest.raises(DomainError):
        gold_winners(kind="nope")


def test_reviews_of_every_draw_of_a_label_are_counted_together(published, lead, reviewers):
    make_labels(published, 20, seed=2)
    for seed in (1, 2):  # two samples of the same labels, each reviewed by two people
        sample = sample_draw(
            actor=lead, name=f"s{seed}", label_kind="preference", strategy="random", n=20,
            seed=seed,
        )  # fmt: skip
        queue = queue_open(actor=lead, sample=sample, reviewers=reviewers[:2], overlap=2)
        review_all(queue, reviewers[:2])
    tallies = {label: (n, agree) for label, n, agree, _ in review_tallies(kind="preference")}
    assert len(tallies) == 20
    for sampled in SampledLabel.objects.filter(sample__name="s1"):
        reviews = [
            review
            for other in SampledLabel.objects.filter(kind="preference", label_id=sampled.label_id)
            for review in other.reviews.all()
        ]
        assert len(reviews) == 4
        agree = sum(review.ai_correct for review in reviews)
        assert tallies[sampled.label_id] == (4, agree)
