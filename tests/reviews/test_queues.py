from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from cai_audit.errors import DomainError
from reviews.models import Adjudication, GoldLabel, PrincipleFlag, Review, ReviewSlot
from reviews.services.queues import (
    adjudication_decide,
    principle_flag,
    queue_open,
    review_submit,
    review_undo,
    slot_next,
    slot_skip,
)
from reviews.services.samples import sample_draw

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue(population, lead, reviewers):
    sample = sample_draw(
        actor=lead, name="s", label_kind="preference", strategy="random", n=4, seed=0
    )
    return queue_open(actor=lead, sample=sample, reviewers=reviewers[:2], overlap=2, blind=True)


def verdict(choice="A", ai_correct=True):
    return {"preference": choice, "ai_correct": ai_correct, "rationale": "because"}


def test_opening_a_queue_makes_overlap_slots_per_label(queue):
    assert queue.slots.count() == 4 * 2
    assert set(queue.slots.values_list("seat", flat=True)) == {1, 2}


def test_a_reviewer_never_gets_the_same_label_twice(queue, reviewers):
    first, second = reviewers[:2]
    seen = []
    while (slot := slot_next(reviewer=first, queue=queue)) is not None:
        assert slot.sampled_label_id not in seen
        seen.append(slot.sampled_label_id)
        review_submit(reviewer=first, slot=slot, **verdict())
    assert len(seen) == 4
    other = [slot_next(reviewer=second, queue=queue)]
    assert other[0].sampled_label_id in seen  # the second seat of a label the first one did


def test_next_returns_the_reviewers_own_unfinished_claim(queue, reviewers):
    slot = slot_next(reviewer=reviewers[0], queue=queue)
    assert slot_next(reviewer=reviewers[0], queue=queue).pk == slot.pk


def test_an_abandoned_claim_expires_and_returns_to_the_queue(queue, reviewers):
    queue.overlap = 1
    queue.save(update_fields=["overlap"])
    queue.slots.filter(seat=2).delete()
    claimed = slot_next(reviewer=reviewers[0], queue=queue)
    ReviewSlot.objects.filter(pk=claimed.pk).update(claimed_at=timezone.now() - timedelta(hours=1))
    taken_over = [slot_next(reviewer=reviewers[1], queue=queue)]
    assert taken_over[0].pk == claimed.pk
    with pytest.raises(DomainError, match="no longer yours"):
        review_submit(reviewer=reviewers[0], slot=claimed, **verdict())


def test_agreeing_reviewers_make_gold_and_disagreeing_ones_go_to_adjudication(
    queue, reviewers, lead
):
    first, second = reviewers[:2]
    outcomes = {}
    for n in range(4):
        a = slot_next(reviewer=first, queue=queue)
        review_submit(reviewer=first, slot=a, **verdict("A", True))
        b = slot_next(reviewer=second, queue=queue)
        assert b.sampled_label_id == a.sampled_label_id  # same order for both reviewers
        agree = n % 2 == 0
        review_submit(reviewer=second, slot=b, **verdict("A" if agree else "B", agree))
        outcomes[a.sampled_label_id] = agree
    for label_id, agree in outcomes.items():
        assert GoldLabel.objects.filter(sampled_label_id=label_id).exists() == agree
        assert Adjudication.objects.filter(sampled_label_id=label_id).exists() != agree
    adjudication = Adjudication.objects.first()
    with pytest.raises(PermissionDenied):
        adjudication_decide(actor=first, adjudication=adjudication, ai_correct=False, rationale="x")
    with pytest.raises(DomainError, match="whether the AI label is right"):
        adjudication_decide(actor=lead, adjudication=adjudication, preference="B", rationale="x")
    gold = adjudication_decide(
        actor=lead,
        adjudication=adjudication,
        ai_correct=False,
        preference="B",
        rationale="B is safer",
    )
    assert (gold.source, gold.preference, gold.decided_by) == ("adjudication", "B", lead)
    adjudication.refresh_from_db()
    assert adjudication.status == "decided"


def test_skip_hands_the_item_back_but_never_to_the_same_reviewer(queue, reviewers):
    slot = slot_next(reviewer=reviewers[0], queue=queue)
    slot_skip(reviewer=reviewers[0], slot=slot)
    assert slot_next(reviewer=reviewers[0], queue=queue).sampled_label_id != slot.sampled_label_id
    assert slot_next(reviewer=reviewers[1], queue=queue).sampled_label_id == slot.sampled_label_id


def test_undo_within_the_window_reopens_the_item_for_its_reviewer(queue, reviewers):
    first, second = reviewers[:2]
    a = slot_next(reviewer=first, queue=queue)
    review_submit(reviewer=first, slot=a, **verdict())
    b = slot_next(reviewer=second, queue=queue)
    review = review_submit(reviewer=second, slot=b, **verdict())
    assert GoldLabel.objects.filter(sampled_label_id=a.sampled_label_id).exists()
    reopened = review_undo(reviewer=second, review=review)
    assert reopened.status == "claimed" and not Review.objects.filter(pk=review.pk).exists()
    assert not GoldLabel.objects.filter(sampled_label_id=a.sampled_label_id).exists()
    assert slot_next(reviewer=second, queue=queue).pk == reopened.pk
    again = review_submit(reviewer=second, slot=reopened, **verdict())
    Review.objects.filter(pk=again.pk).update(created_at=timezone.now() - timedelta(minutes=6))
    with pytest.raises(DomainError, match="5 minutes"):
        review_undo(reviewer=second, review=again)


def test_flags_reach_the_principle(queue, reviewers, published):
    slot = slot_next(reviewer=reviewers[0], queue=queue)
    flag = principle_flag(
        reviewer=reviewers[0], slot=slot, principle_code="", note="Is a prank harm?"
    )
    assert flag.constitution_version == published
    assert PrincipleFlag.objects.filter(principle_code=flag.principle_code).count() == 1


def test_only_assigned_reviewers_get_items(queue, reviewers):
    with pytest.raises(PermissionDenied):
        slot_next(reviewer=reviewers[2], queue=queue)


def test_a_preference_verdict_needs_a_choice(queue, reviewers):
    slot = slot_next(reviewer=reviewers[0], queue=queue)
    with pytest.raises(DomainError, match="Choose A, B"):
        review_submit(reviewer=reviewers[0], slot=slot, ai_correct=True)


def test_blind_verdicts_grade_the_ai_by_comparing_choices(queue, reviewers):
    slot = slot_next(reviewer=reviewers[0], queue=queue)
    ai_choice = slot.sampled_label.ai_label.choice
    other = "B" if ai_choice == "A" else "A"
    review = review_submit(reviewer=reviewers[0], slot=slot, preference=other)
    assert review.ai_correct is False
