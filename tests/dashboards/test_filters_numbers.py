"""Every number on a dashboard obeys every filter of its page.

Each headline number (AI labels, position-stuck share, reviews, gold, agreement, the per-sample
population estimates) is recomputed row by row in Python from the filtered rows and compared with
what the dashboards show, for each filter alone and in combination. A scope narrowed to one
sample counts the labels drawn into that sample; a scope narrowed to a subgroup estimates the
subgroup of each sample's population.
"""

from datetime import timedelta

import numpy as np
import pytest
from django.utils import timezone

from dashboards import selectors
from dashboards.scope import Scope
from labeling.models import PreferenceLabel
from reviews.models import GoldLabel, Review, SampledLabel
from reviews.services.queues import queue_open, review_submit, slot_next
from reviews.services.samples import sample_draw
from stats import hajek_rate, horvitz_thompson_rate
from tests.dashboards.conftest import verdict as fixed_verdict
from tests.dashboards.test_verdict_kind import judged, verdict_audit  # noqa: F401

pytestmark = pytest.mark.django_db


def monday(moment) -> object:
    day = timezone.localtime(moment).date()
    return day - timedelta(days=day.weekday())


def sampled_matches(scope: Scope, row: SampledLabel) -> bool:
    facts = {
        "sample": row.sample_id, "version": row.constitution_version_id,
        "critic": row.critic_id, "principle": row.principle_code,
        "category": row.principle_category, "domain": row.domain, "locale": row.locale,
        "harm_category": row.harm_category,
    }  # fmt: skip
    return _matches(scope, facts, row.labeled_at)


def label_matches(scope: Scope, label: PreferenceLabel) -> bool:
    facts = {
        "version": label.run.constitution_version_id, "critic": label.run.critic_id,
        "principle": label.principle_code, "category": label.principle_category,
        "domain": label.domain, "locale": label.locale, "harm_category": label.harm_category,
    }  # fmt: skip
    return _matches(scope, facts, label.created_at)


def _matches(scope: Scope, facts: dict, labeled_at) -> bool:
    for name, value in facts.items():
        wanted = getattr(scope, name)
        if wanted not in ("", None) and value != wanted:
            return False
    day = timezone.localtime(labeled_at).date()
    if scope.week and monday(labeled_at) != scope.week:
        return False
    if scope.labeled_from and day < scope.labeled_from:
        return False
    return not (scope.labeled_to and day > scope.labeled_to)


def expected_numbers(scope: Scope) -> dict:
    """The headline numbers from the rows themselves."""
    if scope.sample is not None:  # the labels drawn into the sample
        labels = [s for s in SampledLabel.objects.all() if sampled_matches(scope, s)]
    else:
        labels = [
            label for label in PreferenceLabel.objects.select_related("run")
            if label_matches(scope, label)
        ]  # fmt: skip
    golds = [
        g for g in GoldLabel.objects.select_related("sampled_label")
        if sampled_matches(scope, g.sampled_label)
    ]  # fmt: skip
    reviews = [
        r for r in Review.objects.select_related("sampled_label")
        if sampled_matches(scope, r.sampled_label)
    ]  # fmt: skip
    return {
        "labels": len(labels),
        "stuck": sum(label.position_stuck for label in labels),
        "gold": len(golds),
        "agree": sum(g.ai_correct for g in golds),
        "reviews": len(reviews),
    }


@pytest.fixture
def two_samples(audited, lead, reviewers):
    """The audited uncertainty sample (24 of 60, all gold) and a stratified one of 12 of which
    the first 5 handed out have one review each (so gold) and the rest none yet."""
    second = sample_draw(
        actor=lead, name="partial", label_kind="preference", strategy="stratified", n=12, seed=8,
        options={"allocation": "equal"},
    )  # fmt: skip
    queue = queue_open(actor=lead, sample=second, reviewers=reviewers[:1], overlap=1)
    for _ in range(5):
        slot = slot_next(reviewer=reviewers[0], queue=queue)
        review_submit(
            reviewer=reviewers[0], slot=slot, seconds_spent=2,
            preference=fixed_verdict(slot.sampled_label, 0),
        )  # fmt: skip
    return audited, second


def scopes(first, second, published) -> dict[str, Scope]:
    label = PreferenceLabel.objects.select_related("run").first()
    week = monday(label.created_at)
    today = timezone.localtime(label.created_at).date()
    return {
        "none": Scope(),
        "sample": Scope(sample=first.pk),
        "other sample": Scope(sample=second.pk),
        "sample and principle": Scope(sample=first.pk, principle="HON-01"),
        "sample and domain": Scope(sample=second.pk, domain="medical"),
        "principle": Scope(principle="HON-01"),
        "category": Scope(category="honesty"),
        "domain": Scope(domain="legal"),
        "version": Scope(version=published.pk),
        "another version": Scope(version=published.pk + 1000),
        "critic": Scope(critic=label.run.critic_id),
        "another critic": Scope(critic=label.run.critic_id + 1000),
        "week": Scope(week=week),
        "the week before": Scope(week=week - timedelta(days=7)),
        "days": Scope(labeled_from=today, labeled_to=today),
        "sample, week and principle": Scope(sample=first.pk, week=week, principle="HARM-02"),
    }


def test_every_headline_number_obeys_every_filter(two_samples, published):
    first, second = two_samples
    for name, scope in scopes(first, second, published).items():
        total = selectors.overview(scope=scope).total
        expected = expected_numbers(scope)
        assert (total.labels or 0) == expected["labels"], name
        if expected["labels"]:
            assert total.stuck_share.value == pytest.approx(
                expected["stuck"] / expected["labels"]
            ), name
            assert total.bias.stuck_share.n == expected["labels"], name
        assert total.gold == expected["gold"], name
        assert total.reviews == expected["reviews"], name
        if expected["gold"]:
            assert total.agreement.value == pytest.approx(expected["agree"] / expected["gold"])
        for by in ("principle", "domain", "week"):
            rows = selectors.breakdown(scope=scope, by=by).rows
            assert sum(row.labels or 0 for row in rows) == expected["labels"], (name, by)
            assert sum(row.gold for row in rows) == expected["gold"], (name, by)


def test_a_sample_filter_counts_the_labels_drawn_into_the_sample(two_samples):
    """The finding: with sample= the label count and the position-stuck share stayed those of
    all 60 labels. Narrowed to the sample they are its 24 labels and their stuck share."""
    first, _ = two_samples
    everything = selectors.overview(scope=Scope()).total
    sampled = selectors.overview(scope=Scope(sample=first.pk)).total
    assert everything.labels == 60 and sampled.labels == 24
    stuck = first.labels.filter(position_stuck=True).count()
    assert sampled.stuck_share.value == pytest.approx(stuck / 24)
    assert sampled.stuck_share.n == 24
    rows = selectors.breakdown(scope=Scope(sample=first.pk), by="principle").rows
    drawn = {code: first.labels.filter(principle_code=code).count() for code in ("HON-01",)}
    assert {row.key: row.labels for row in rows}["HON-01"] == drawn["HON-01"]


def test_population_estimates_narrow_to_the_filtered_part_of_each_population(two_samples):
    first, _ = two_samples
    scope = Scope(principle="HON-01")
    (estimate,) = [e for e in selectors.overview(scope=scope).populations if e.sample == first.pk]
    golds = [g for g in GoldLabel.objects.select_related("sampled_label")
             if g.sampled_label.sample_id == first.pk
             and g.sampled_label.principle_code == "HON-01"]  # fmt: skip
    expected = hajek_rate(
        [0 if g.ai_correct else 1 for g in golds],
        [g.sampled_label.inclusion_probability for g in golds],
    )
    assert estimate.gold == len(golds) and estimate.estimator == "Hajek"
    assert estimate.weighted.value == pytest.approx(expected.value)
    assert (estimate.weighted.low, estimate.weighted.high) == pytest.approx(
        (expected.low, expected.high)
    )
    drawn = first.labels.filter(principle_code="HON-01")
    assert estimate.sampled == drawn.count()
    assert estimate.population == round(sum(1 / s.inclusion_probability for s in drawn))
    unfiltered = [e for e in selectors.overview(scope=Scope()).populations if e.sample == first.pk]
    assert unfiltered[0].gold == 24 and unfiltered[0].population == 60


def test_a_sample_reviewed_in_part_is_estimated_from_its_reviewed_labels(two_samples):
    """Horvitz-Thompson over N counts the unreviewed labels as no errors; with 5 of 12 reviewed
    the estimate is the Hajek ratio over the 5, and complete samples keep Horvitz-Thompson."""
    first, second = two_samples
    estimates = {e.sample: e for e in selectors.overview(scope=Scope()).populations}
    partial = estimates[second.pk]
    golds = list(GoldLabel.objects.filter(sampled_label__sample=second))
    assert partial.gold == len(golds) == 5 and partial.sampled == 12
    errors = [0 if g.ai_correct else 1 for g in golds]
    pi = [g.sampled_label.inclusion_probability for g in golds]
    assert partial.estimator == "Hajek"
    assert partial.weighted.value == pytest.approx(hajek_rate(errors, pi).value)
    assert partial.weighted.value == pytest.approx(np.mean(errors))  # equal pi: the plain share
    complete = estimates[first.pk]
    golds = list(GoldLabel.objects.filter(sampled_label__sample=first))
    expected = horvitz_thompson_rate(
        [0 if g.ai_correct else 1 for g in golds],
        [g.sampled_label.inclusion_probability for g in golds],
        first.population_size,
    )
    assert complete.estimator == "Horvitz-Thompson"
    assert complete.weighted.value == pytest.approx(expected.value)


def test_a_verdict_sample_filter_counts_the_verdicts_drawn_into_it(verdict_audit):  # noqa: F811
    """Red-team verdicts are counted from their own table; narrowed to a sample, from it."""
    everything = selectors.overview(scope=Scope(kind="verdict")).total
    scope = Scope(kind="verdict", sample=verdict_audit.pk, harm_category="weapons")
    sampled = selectors.overview(scope=scope).total
    drawn = verdict_audit.labels.filter(harm_category="weapons")
    assert everything.labels == 24 and sampled.labels == drawn.count() < 16
    stuck = drawn.filter(position_stuck=True).count()
    assert sampled.stuck_share.value == pytest.approx(stuck / drawn.count())
