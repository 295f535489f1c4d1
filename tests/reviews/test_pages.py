import pytest
from django.urls import reverse

from reviews.models import Review
from reviews.services.queues import queue_open
from reviews.services.samples import sample_draw
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def open_queue(lead, reviewers, *, blind=True, n=3, name="spot check"):
    sample = sample_draw(actor=lead, name=name, label_kind="preference", strategy="random", n=n)
    return queue_open(actor=lead, sample=sample, reviewers=reviewers, overlap=1, blind=blind)


def test_blind_mode_hides_the_ai_verdict_and_assisted_shows_it(population, lead, reviewers):
    blind = open_queue(lead, reviewers[:1], blind=True)
    client = logged_in(reviewers[0])
    body = client.get(reverse("reviews:workspace", args=[blind.pk])).content.decode()
    assert "Which response better follows" in body and "AI verdict" not in body
    assisted = open_queue(lead, reviewers[1:2], blind=False)
    body = (
        logged_in(reviewers[1])
        .get(reverse("reviews:workspace", args=[assisted.pk]))
        .content.decode()
    )
    assert "AI verdict" in body and "confidence" in body


def test_submitting_with_htmx_returns_the_next_item_only(population, lead, reviewers):
    queue = open_queue(lead, reviewers[:1])
    client = logged_in(reviewers[0])
    page = client.get(reverse("reviews:workspace", args=[queue.pk]))
    slot = page.context["slot"]
    response = client.post(
        reverse("reviews:submit", args=[queue.pk]),
        {"slot": slot.pk, "preference": "B", "seconds_spent": "4.5", "rationale": "<b>bold</b>"},
        **HTMX,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body and 'id="review-item"' in body
    assert response.context["slot"].pk != slot.pk
    review = Review.objects.get()
    assert (review.preference, review.seconds_spent, review.rationale) == ("B", 4.5, "<b>bold</b>")


def test_a_missing_choice_is_explained_and_the_item_stays(population, lead, reviewers):
    queue = open_queue(lead, reviewers[:1])
    client = logged_in(reviewers[0])
    slot = client.get(reverse("reviews:workspace", args=[queue.pk])).context["slot"]
    response = client.post(reverse("reviews:submit", args=[queue.pk]), {"slot": slot.pk}, **HTMX)
    assert response.status_code == 400 and "Choose A, B" in response.content.decode()
    assert response.context["slot"].pk == slot.pk


def test_reviewers_only_reach_their_own_queues(population, lead, reviewers):
    queue = open_queue(lead, reviewers[:1])
    outsider = logged_in(reviewers[2])
    assert outsider.get(reverse("reviews:workspace", args=[queue.pk])).status_code == 403
    assert queue.name not in outsider.get(reverse("reviews:queues")).content.decode()
    assert outsider.get(reverse("reviews:sample_create")).status_code == 403
    assert outsider.get(reverse("reviews:adjudication")).status_code == 403


def test_lead_draws_a_hybrid_sample_and_opens_a_blind_queue_in_the_browser(
    population, lead, reviewers
):
    client = logged_in(lead)
    response = client.post(
        reverse("reviews:sample_create"),
        {"name": "hybrid", "label_kind": "preference", "strategy": "hybrid", "n": 10, "seed": 1,
         "strata": ["principle"], "allocation": "proportional", "minimum": 1,
         "measure": "position_stuck", "uncertainty_share": 0.5, "floor": 0.1,
         "high_stakes_weight": 2},
    )  # fmt: skip
    assert response.status_code == 302
    sample_url = response["Location"]
    page = client.get(sample_url).content.decode()
    assert "HARM-01" in page and "Open a review queue" in page
    opened = client.post(
        sample_url,
        {"name": "hybrid queue", "overlap": 2, "blind": "on", "claim_timeout_s": 600,
         "reviewers": [r.pk for r in reviewers[:2]]},
    )  # fmt: skip
    assert opened.status_code == 302
    assert "hybrid queue" in logged_in(reviewers[0]).get(reverse("reviews:queues")).content.decode()


def test_adjudication_page_lists_each_disagreement_with_both_verdicts(
    population, lead, reviewers, django_assert_max_num_queries
):
    from reviews.services.queues import review_submit, slot_next

    sample = sample_draw(actor=lead, name="adj", label_kind="preference", strategy="random", n=4)
    queue = queue_open(actor=lead, sample=sample, reviewers=reviewers[:2], overlap=2)
    for reviewer, choice in ((reviewers[0], "A"), (reviewers[1], "B")):
        while (slot := slot_next(reviewer=reviewer, queue=queue)) is not None:
            review_submit(reviewer=reviewer, slot=slot, preference=choice, rationale=f"{choice}!")
    client = logged_in(lead)
    with django_assert_max_num_queries(14):  # not a set of queries per item
        body = client.get(reverse("reviews:adjudication")).content.decode()
    assert body.count('class="card adjudication"') == 4
    assert body.count("A!") == 4 and body.count("B!") == 4


def test_sample_page_estimates_the_ai_error_rate_from_gold(population, lead, reviewers):
    from reviews.selectors import sample_estimates
    from reviews.services.queues import review_submit, slot_next

    sample = sample_draw(actor=lead, name="est", label_kind="preference", strategy="uncertainty",
                         n=12, seed=4, strata_fields=("principle",))  # fmt: skip
    queue = queue_open(actor=lead, sample=sample, reviewers=reviewers[:1], overlap=1)
    wrong = 0
    while (slot := slot_next(reviewer=reviewers[0], queue=queue)) is not None:
        ai_wrong = slot.sampled_label.stratum == "HON-01"  # the reviewer disagrees on honesty
        wrong += ai_wrong
        review_submit(reviewer=reviewers[0], slot=slot, preference="A", ai_correct=not ai_wrong)
    estimates = sample_estimates(sample=sample)
    assert estimates["gold"] == 12 and estimates["unweighted"].value == pytest.approx(wrong / 12)
    rows = list(sample.labels.values_list("inclusion_probability", "stratum"))
    expected = sum(1 / pi for pi, stratum in rows if stratum == "HON-01") / sample.population_size
    assert estimates["overall"].value == pytest.approx(expected)
    body = logged_in(lead).get(reverse("reviews:sample", args=[sample.pk])).content.decode()
    assert "AI error rate from the gold labels so far" in body and "HON-01" in body
