"""Audited labels made through the real services: a sample of AI preference labels, reviewed
twice each by two reviewers who sometimes disagree, adjudicated by a lead where they do."""

import pytest

from reviews.models import Adjudication, SampledLabel
from reviews.services.queues import adjudication_decide, queue_open, review_submit, slot_next
from reviews.services.samples import sample_draw
from tests.reviews.conftest import lead, make_labels, reviewers  # noqa: F401

OTHER = {"A": "B", "B": "A", "tie": "A"}


def verdict(sampled: SampledLabel, reviewer_index: int) -> str:
    """A fixed pattern: every third label the humans overrule the AI; on every fifth the second
    reviewer says tie instead (a disagreement between the humans)."""
    choice = sampled.ai_label.choice
    wanted = OTHER[choice] if sampled.pk % 3 == 0 else choice
    if reviewer_index == 1 and sampled.pk % 5 == 0:
        return "tie"
    return wanted


def review_all(queue, people) -> None:
    for index, reviewer in enumerate(people):
        while (slot := slot_next(reviewer=reviewer, queue=queue)) is not None:
            review_submit(
                reviewer=reviewer,
                slot=slot,
                preference=verdict(slot.sampled_label, index),
                seconds_spent=3 + index,
            )


def adjudicate_all(lead) -> None:  # noqa: F811
    for adjudication in Adjudication.objects.filter(status="open"):
        sampled = adjudication.sampled_label
        first = verdict(sampled, 0)
        adjudication_decide(
            actor=lead,
            adjudication=adjudication,
            preference=first,
            ai_correct=first == sampled.ai_label.choice,
            rationale="the first reviewer read the principle right",
        )


@pytest.fixture
def audited(published, lead, reviewers):  # noqa: F811
    """60 AI labels, an uncertainty sample of 24 reviewed by two reviewers, all adjudicated."""
    make_labels(published, 60, seed=1)
    sample = sample_draw(
        actor=lead, name="audit", label_kind="preference", strategy="uncertainty", n=24, seed=3
    )
    queue = queue_open(actor=lead, sample=sample, reviewers=reviewers[:2], overlap=2)
    review_all(queue, reviewers[:2])
    adjudicate_all(lead)
    return sample
