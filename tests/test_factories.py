"""The factories build rows that hang together the way the services make them: a label's item
belongs to its run's item set, a label is counted in the tallies, a sampled label carries its
label's facts, and a review sits on a slot of its sample's queue."""

import pytest
from django.db.models import Sum

from labeling.judging import combine_orders
from labeling.models import LabelTally
from tests.factories import (
    CritiqueLabelFactory,
    PreferenceLabelFactory,
    ReviewFactory,
    SampledPreferenceFactory,
)

pytestmark = pytest.mark.django_db


def test_a_preference_label_follows_from_both_orders_and_is_counted(published):
    label = PreferenceLabelFactory(
        run__constitution_version=published, p_a_first=0.9, p_a_second=0.9
    )
    assert (label.p_a, label.choice, label.confidence) == (0.9, "A", 0.9)
    assert not label.position_stuck  # A chosen in both orders, whatever its position
    assert label.item.item_set == label.run.item_set and label.item.kind == "pair"
    # The first position in both orders: stuck, as combine_orders says.
    stuck = PreferenceLabelFactory(run=label.run, p_a_first=0.9, p_a_second=0.1)
    assert stuck.position_stuck == combine_orders(0.9, 0.1).position_stuck is True
    tally = LabelTally.objects.filter(run=label.run, kind="preference")
    assert tally.aggregate(n=Sum("labels"), stuck=Sum("stuck")) == {"n": 2, "stuck": 1}


def test_a_critique_label_is_on_a_single_response(published):
    label = CritiqueLabelFactory(run__constitution_version=published)
    assert label.run.task == "critique" and label.item.kind == "single"
    assert LabelTally.objects.get(run=label.run).kind == "critique"


def test_a_sampled_label_carries_its_labels_facts(published):
    sampled = SampledPreferenceFactory(
        preference_label__run__constitution_version=published,
        preference_label__item__domain="medical",
    )
    label = sampled.ai_label
    assert sampled.domain == "medical" == label.domain
    assert sampled.ai_choice == label.choice and sampled.constitution_version == published
    assert sampled.critic == label.run.critic and sampled.labeled_at == label.created_at


def test_a_review_sits_on_a_slot_of_its_samples_queue(published):
    review = ReviewFactory(
        slot__sampled_label__preference_label__run__constitution_version=published
    )
    slot = review.slot
    assert slot.queue.sample == review.sampled_label.sample and slot.reviewer == review.reviewer
    assert review.ai_correct and review.preference == review.sampled_label.ai_choice
    disagreeing = ReviewFactory(
        slot__sampled_label__preference_label__run__constitution_version=published,
        preference="B" if review.preference == "A" else "A",
    )
    assert not disagreeing.ai_correct
