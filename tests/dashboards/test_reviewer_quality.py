"""A reviewer's agreement with gold counts only gold decided without them: gold from agreement
is made of their own review (it agrees with them by construction), and a lead who also reviewed
does not grade themselves with their own adjudication."""

import pytest
from django.urls import reverse

from cai_audit.roles import REVIEW_LEAD, REVIEWER
from dashboards import selectors
from dashboards.scope import Scope
from reviews.models import Adjudication
from reviews.services.queues import adjudication_decide, queue_open, review_submit, slot_next
from reviews.services.samples import sample_draw
from tests.conftest import logged_in
from tests.factories import UserFactory
from tests.reviews.conftest import lead, make_labels  # noqa: F401

pytestmark = pytest.mark.django_db

# label position -> (first reviewer's choice, second reviewer's choice, decided by, gold choice)
PLAN = [
    ("A", "A", None, "A"),  # agreement gold: made of both reviews, measures neither
    ("A", "B", "lead", "A"),  # adjudicated by the lead: counts for both
    ("B", "tie", "lead", "tie"),  # adjudicated by the lead: counts for both
    ("A", "B", "second", "B"),  # adjudicated by the second reviewer: counts only for the first
]


@pytest.fixture
def planned_audit(published, lead):  # noqa: F811
    first = UserFactory(username="first", roles=[REVIEWER])
    second = UserFactory(username="second", roles=[REVIEWER, REVIEW_LEAD])
    make_labels(published, 12, seed=5)
    sample = sample_draw(
        actor=lead, name="plan", label_kind="preference", strategy="random", n=4, seed=2
    )
    queue = queue_open(actor=lead, sample=sample, reviewers=[first, second], overlap=2)
    position = {label.pk: n for n, label in enumerate(sample.labels.order_by("id"))}
    for index, reviewer in enumerate((first, second)):
        while (slot := slot_next(reviewer=reviewer, queue=queue)) is not None:
            plan = PLAN[position[slot.sampled_label_id]]
            review_submit(reviewer=reviewer, slot=slot, preference=plan[index])
    deciders = {"lead": lead, "second": second}
    for adjudication in Adjudication.objects.filter(status="open"):
        _, _, decider, choice = PLAN[position[adjudication.sampled_label_id]]
        ai_choice = adjudication.sampled_label.ai_label.choice
        adjudication_decide(
            actor=deciders[decider], adjudication=adjudication, preference=choice,
            ai_correct=choice == ai_choice, rationale="decided",
        )  # fmt: skip
    return first, second


def test_each_reviewer_is_measured_only_against_gold_decided_without_them(planned_audit):
    first, second = planned_audit
    stats = {r.username: r for r in selectors.reviewer_report(scope=Scope()).reviewers}
    # first: gold from labels 2, 3 and 4 (not 1, their own agreement); agrees on label 2 only.
    assert stats["first"].reviews == 4
    assert (stats["first"].agree_gold.n, stats["first"].agree_gold.value) == (
        3,
        pytest.approx(1 / 3),
    )
    # second: labels 2 and 3 (not 1, agreement; not 4, their own adjudication); agrees on 3.
    assert (stats["second"].agree_gold.n, stats["second"].agree_gold.value) == (
        2,
        pytest.approx(0.5),
    )
    # Counting every gold label, as before, would have given 2/4 and 3/4.


def test_the_reviewers_page_says_what_gold_it_counts(planned_audit, lead):  # noqa: F811
    page = logged_in(lead).get(reverse("dashboards:reviewers"))
    assert page.status_code == 200
    assert "Agrees with gold decided without them" in page.content.decode()
