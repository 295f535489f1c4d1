"""Rules on arrival: matching labels go to the rule's blind queue with overlap k, each with
inclusion probability p; the sample's population grows by the labels seen; re-sent arrivals do
nothing twice; paused rules and other sources are left alone."""

import pytest
from django.core.exceptions import PermissionDenied

from automation.designs import poisson_pick
from automation.models import AutomationRule
from automation.services.rules import rule_create, rule_pause, rule_update
from cai_audit.errors import DomainError
from reviews.models import ReviewSample, ReviewSlot, SampledLabel

from .conftest import announce, import_labels


@pytest.fixture
def rule(lead, reviewers, source):
    return rule_create(
        actor=lead,
        name="Prod to review",
        label_kind="preference",
        mode="poisson",
        rate=0.3,
        label_filter={"sources": [source.pk]},
        overlap=2,
        reviewers=reviewers,
        seed=11,
    )


def test_rule_sends_poisson_sample_to_blind_queue_with_overlap(published, source, rule):
    run, ids = import_labels(published, source, 200)
    announce(source, run, ids)
    expected = poisson_pick(11, "preference", ids, 0.3)
    sampled = SampledLabel.objects.filter(sample=rule.sample)
    assert sorted(sampled.values_list("label_id", flat=True)) == sorted(expected)
    assert 30 < len(expected) < 90
    assert set(sampled.values_list("inclusion_probability", flat=True)) == {0.3}
    assert set(sampled.values_list("source_id", flat=True)) == {source.pk}
    assert set(sampled.values_list("judge_id", flat=True)) == {source.judge_id}
    sample = ReviewSample.objects.get(pk=rule.sample_id)
    assert sample.strategy == "poisson"
    assert (sample.population_size, sample.sample_size) == (200, len(expected))
    queue = sample.queue
    assert queue.blind and queue.overlap == 2
    assert ReviewSlot.objects.filter(queue=queue, status="open").count() == 2 * len(expected)
    rule.refresh_from_db()
    assert (rule.labels_seen, rule.labels_sent) == (200, len(expected))


def test_a_resent_arrival_writes_nothing_twice(published, source, rule):
    run, ids = import_labels(published, source, 100)
    announce(source, run, ids)
    announce(source, run, ids)
    rule.refresh_from_db()
    assert rule.labels_seen == 100
    assert SampledLabel.objects.filter(sample=rule.sample).count() == rule.labels_sent
    assert ReviewSample.objects.get(pk=rule.sample_id).population_size == 100


def test_whole_file_arrival_and_later_batches_add_up(published, source, rule):
    run, ids = import_labels(published, source, 120)
    announce(source, run)  # label_ids None: every label of the run
    run2, ids2 = import_labels(published, source, 80, seed=1)
    announce(source, run2, ids2)
    rule.refresh_from_db()
    assert rule.labels_seen == 200
    expected = poisson_pick(11, "preference", ids + ids2, 0.3)
    assert rule.labels_sent == len(expected)


def test_filters_and_pause(published, source, other_source, lead, reviewers, rule):
    narrow = rule_create(
        actor=lead,
        name="Medical HARM-01 unsure",
        label_kind="preference",
        mode="poisson",
        rate=1.0,
        reviewers=reviewers,
        overlap=1,
        label_filter={"principle_codes": ["HARM-01"], "domains": ["medical"]},
        confidence_max=0.9,
    )
    run, ids = import_labels(published, other_source, 120)
    announce(other_source, run, ids)
    rule.refresh_from_db()
    narrow.refresh_from_db()
    assert rule.labels_seen == 0  # another source
    from labeling.models import PreferenceLabel

    matching = PreferenceLabel.objects.filter(
        id__in=ids, principle_code="HARM-01", domain="medical", confidence__lte=0.9
    ).count()
    assert matching and narrow.labels_seen == matching == narrow.labels_sent
    rule_pause(actor=lead, rule=narrow, paused=True)
    run2, ids2 = import_labels(published, other_source, 60, seed=2)
    announce(other_source, run2, ids2)
    narrow.refresh_from_db()
    assert narrow.labels_seen == matching


def test_rule_settings_are_checked(lead, reviewers, reviewer, source):
    with pytest.raises(PermissionDenied):
        rule_create(actor=reviewer, name="x", label_kind="preference", mode="poisson", rate=0.1)
    bad = [
        ({"rate": 0}, "rate"),
        ({"rate": 1.5}, "rate"),
        ({"rate": 0.1, "label_filter": {"colour": ["red"]}}, "colour"),
        ({"rate": 0.1, "confidence_min": 0.9, "confidence_max": 0.1}, "confidence_min"),
        ({"rate": 0.1, "overlap": 9}, "overlap"),
    ]
    for settings, named in bad:
        with pytest.raises(DomainError, match=named):
            rule_create(
                actor=lead,
                name="x",
                label_kind="preference",
                mode="poisson",
                reviewers=reviewers,
                **settings,
            )
    with pytest.raises(DomainError, match="kind"):
        rule_create(actor=lead, name="x", label_kind="nope", mode="poisson", rate=0.1)
    with pytest.raises(DomainError, match="per_window"):
        rule_create(actor=lead, name="x", label_kind="preference", mode="window", window="day")
    assert not AutomationRule.objects.exists()


def test_rule_update_changes_the_rate_but_not_the_design(lead, rule):
    rule = rule_update(actor=lead, rule=rule, rate=0.5)
    assert rule.rate == 0.5
    with pytest.raises(DomainError, match="mode"):
        rule_update(actor=lead, rule=rule, mode="window")


def test_weighted_count_over_rule_seeds_is_unbiased(published, source, lead, reviewers):
    """Many rules (seeds) on one arrival: each sample's sum of 1/pi estimates the population of
    matching labels; their average is within a few standard errors of the truth."""
    import numpy as np

    rules = [
        rule_create(
            actor=lead, name=f"seed {seed}", label_kind="preference", mode="poisson", rate=0.1,
            reviewers=reviewers, overlap=1, seed=seed,
            label_filter={"principle_codes": ["HARM-01", "HARM-02"]},
        )
        for seed in range(40)
    ]  # fmt: skip
    run, ids = import_labels(published, source, 300)
    announce(source, run, ids)
    matching = 200  # two principle codes of three
    estimates = []
    for rule in rules:
        sample = ReviewSample.objects.get(pk=rule.sample_id)
        assert sample.population_size == matching
        pis = list(sample.labels.values_list("inclusion_probability", flat=True))
        estimates.append(sum(1 / p for p in pis))
    se = np.sqrt(matching * 0.9 / 0.1) / np.sqrt(len(estimates))
    assert abs(np.mean(estimates) - matching) < 4 * se
