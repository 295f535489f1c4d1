"""Review actions take one path whatever the client: the page and the API undo through the same
service (which puts the item on screen back in the queue) and show the same blind payload; the
adjudication page reads its labels in a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from cai_audit.errors import DomainError
from reviews import selectors
from reviews.models import Adjudication, ReviewSlot
from reviews.services.queues import queue_open, review_submit, review_undo_last, slot_next
from reviews.services.samples import sample_draw
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue(population, lead, reviewers):
    sample = sample_draw(actor=lead, name="s", label_kind="preference", strategy="random", n=6)
    return queue_open(actor=lead, sample=sample, reviewers=reviewers[:2], overlap=2, blind=True)


def _submit_then_claim_next(queue, reviewer):
    first = slot_next(reviewer=reviewer, queue=queue)
    review_submit(reviewer=reviewer, slot=first, preference="A")
    on_screen = slot_next(reviewer=reviewer, queue=queue)
    assert on_screen.pk != first.pk
    return first, on_screen


def test_undo_in_the_service_puts_the_item_on_screen_back_in_the_queue(queue, reviewers):
    first, on_screen = _submit_then_claim_next(queue, reviewers[0])
    reopened = review_undo_last(reviewer=reviewers[0], queue=queue)
    assert reopened.pk == first.pk
    on_screen.refresh_from_db()
    assert (on_screen.status, on_screen.reviewer_id) == (ReviewSlot.Status.OPEN, None)
    held = ReviewSlot.objects.filter(queue=queue, reviewer=reviewers[0], status="claimed")
    assert list(held) == [reopened]


def test_undo_through_the_api_frees_the_item_on_screen_as_the_page_does(queue, reviewers):
    first, on_screen = _submit_then_claim_next(queue, reviewers[0])
    api = APIClient()
    api.force_authenticate(reviewers[0])
    claim = api.post(f"/api/queues/{queue.pk}/undo/")
    assert claim.status_code == 200 and claim.json()["slot"] == first.pk
    on_screen.refresh_from_db()
    assert on_screen.status == ReviewSlot.Status.OPEN and on_screen.reviewer_id is None
    assert api.post(f"/api/queues/{queue.pk}/next/").json()["slot"] == first.pk


def test_undo_with_nothing_to_undo_is_a_clear_400_on_both_paths(queue, reviewers):
    with pytest.raises(DomainError, match="Nothing to undo"):
        review_undo_last(reviewer=reviewers[0], queue=queue)
    api = APIClient()
    api.force_authenticate(reviewers[0])
    response = api.post(f"/api/queues/{queue.pk}/undo/")
    assert response.status_code == 400 and "Nothing to undo" in response.json()["detail"]
    page = logged_in(reviewers[0]).post(reverse("reviews:undo", args=[queue.pk]))
    assert page.status_code == 400 and "Nothing to undo" in page.content.decode()


def test_the_page_and_the_api_show_the_same_blind_claim(queue, reviewers):
    slot = slot_next(reviewer=reviewers[0], queue=queue)
    claim = selectors.claim_view(queue=queue, slot=slot)
    label = slot.sampled_label.ai_label
    assert claim["ai_verdict"] is None
    assert (claim["response_a"], claim["response_b"]) == (
        label.item.response_a, label.item.response_b
    )  # fmt: skip
    api = APIClient()
    api.force_authenticate(reviewers[0])
    assert api.post(f"/api/queues/{queue.pk}/next/").json() == {
        **claim, "critique": "", "revision": ""
    }  # fmt: skip
    page = logged_in(reviewers[0]).get(reverse("reviews:workspace", args=[queue.pk]))
    assert page.context["claim"] == claim and "ai-verdict" not in page.content.decode()


def _disagree_on_every_label(queue, reviewers):
    for reviewer, choice in zip(reviewers[:2], ("A", "B"), strict=True):
        while (slot := slot_next(reviewer=reviewer, queue=queue)) is not None:
            review_submit(reviewer=reviewer, slot=slot, preference=choice)


def test_the_adjudication_page_costs_the_same_queries_for_three_labels_as_for_six(
    queue, reviewers, lead
):
    _disagree_on_every_label(queue, reviewers)
    client = logged_in(lead)
    client.get(reverse("reviews:adjudication"))  # the session is loaded once
    with CaptureQueriesContext(connection) as six:
        page = client.get(reverse("reviews:adjudication"))
    assert page.status_code == 200 and len(page.context["items"]) == 6
    keep = list(Adjudication.objects.order_by("pk").values_list("pk", flat=True)[:3])
    Adjudication.objects.exclude(pk__in=keep).delete()
    with CaptureQueriesContext(connection) as three:
        assert len(client.get(reverse("reviews:adjudication")).context["items"]) == 3
    assert len(six.captured_queries) == len(three.captured_queries)


def test_open_adjudications_are_read_in_five_queries_whatever_their_number(queue, reviewers):
    _disagree_on_every_label(queue, reviewers)
    assert Adjudication.objects.filter(status="open").count() == 6
    with CaptureQueriesContext(connection) as six:
        entries = selectors.adjudications_open()
        assert all(entry["item"].prompt and entry["reviews"] for entry in entries)
    keep = Adjudication.objects.order_by("pk").values_list("pk", flat=True)[:3]
    Adjudication.objects.exclude(pk__in=list(keep)).delete()
    with CaptureQueriesContext(connection) as three:
        assert len(selectors.adjudications_open()) == 3
    assert len(six.captured_queries) == len(three.captured_queries) <= 5
