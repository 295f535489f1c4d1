"""Red-team verdicts join the human review sampling: humans audit the AI judge's violation /
refusal / safe classifications with the same draws, queues, gold labels and adjudication as
preference and critique labels."""

import numpy as np
import pytest
from django.urls import reverse
from django.utils.html import escape

from cai_audit.errors import DomainError
from labeling.filters import LabelFilter
from redteam.models import Verdict
from reviews.models import Adjudication, GoldLabel, PrincipleFlag, Review, SampledLabel
from reviews.population import population_load
from reviews.services.queues import (
    adjudication_decide,
    principle_flag,
    queue_open,
    review_submit,
    slot_next,
)
from reviews.services.samples import sample_draw, sample_draw_requested
from tests.conftest import logged_in
from tests.redteam.factories import make_judged_run
from tests.reviews.test_api import api

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
SCRIPT = "<script>alert(1)</script>"
CATEGORIES = ("weapons", "fraud", "medical")
CLASSES = ("violation", "refusal", "safe")


@pytest.fixture
def redteam_run(published):
    """24 verdicts on 12 answers (8 harmful, 4 benign) under the published constitution."""
    return make_judged_run(published)


def test_an_uncertainty_draw_of_verdicts_records_pi_and_copies_the_judges_facts(redteam_run, lead):
    sample = sample_draw(
        actor=lead, name="judge audit", label_kind="verdict", strategy="uncertainty", n=8,
        seed=1, options={"floor": 0.1},
    )  # fmt: skip
    rows = list(sample.labels.all())
    assert (sample.label_kind, sample.population_size, sample.sample_size) == ("verdict", 24, 8)
    assert len({row.label_id for row in rows}) == 8
    for row in rows:
        verdict = row.ai_label
        assert row.kind == "verdict"
        assert 0 < row.inclusion_probability <= 1
        assert row.score == pytest.approx(1 - verdict.confidence)
        assert row.ai_choice == verdict.verdict and row.ai_choice in CLASSES
        assert row.ai_confidence == pytest.approx(verdict.confidence)
        assert row.position_stuck == verdict.position_stuck
        assert (row.principle_code, row.harm_category, row.domain) == (
            verdict.principle_code, verdict.response.case.category, verdict.response.case.kind
        )  # fmt: skip
        assert row.constitution_version_id == redteam_run.constitution_version_id
        assert row.critic_id == redteam_run.judge_id  # the judge, not the target model
        assert row.labeled_at == verdict.created_at
    all_scores = 1 - np.array(list(Verdict.objects.values_list("confidence", flat=True)))
    assert np.mean([row.score for row in rows]) > all_scores.mean()  # uncertain ones favoured


@pytest.mark.parametrize("measure", ["least_confidence", "margin", "entropy", "position_stuck"])
def test_verdicts_share_the_preference_uncertainty_measures(redteam_run, measure):
    loaded = population_load(kind="verdict", where=LabelFilter(), measure=measure)
    verdicts = {v.pk: v for v in Verdict.objects.all()}
    assert len(loaded) == 24
    for label_id, score in zip(loaded.ids, loaded.scores, strict=True):
        verdict = verdicts[int(label_id)]
        expected = {
            "least_confidence": 1 - verdict.confidence,
            "margin": 1 - verdict.margin,
            "entropy": verdict.entropy,
            "position_stuck": 1.0 if verdict.position_stuck else 0.5 - verdict.margin / 2,
        }[measure]
        assert score == pytest.approx(expected)


def test_a_stratified_draw_by_harm_category_takes_each_category_with_its_own_pi(redteam_run, lead):
    sample = sample_draw(
        actor=lead, name="per category", label_kind="verdict", strategy="stratified", n=6,
        seed=3, strata_fields=("harm_category",), options={"allocation": "equal", "minimum": 1},
    )  # fmt: skip
    per_stratum: dict[str, int] = {}
    for row in sample.labels.all():
        assert row.stratum == row.ai_label.harm_category == row.harm_category
        assert row.inclusion_probability == pytest.approx(2 / 8)  # 2 of 8 verdicts per category
        per_stratum[row.stratum] = per_stratum.get(row.stratum, 0) + 1
    assert per_stratum == {"fraud": 2, "medical": 2, "weapons": 2}


def test_the_disagreement_measure_and_active_sampling_are_refused_for_verdicts(redteam_run, lead):
    with pytest.raises(DomainError, match="disagreement measure needs an ensemble"):
        sample_draw(actor=lead, name="x", label_kind="verdict", strategy="uncertainty", n=3,
                    measure="disagreement")  # fmt: skip
    with pytest.raises(DomainError, match="Active sampling learns from reviews of preference"):
        sample_draw_requested(actor=lead, where=LabelFilter(), name="x",
                              label_kind="verdict", strategy="active", n=3)  # fmt: skip
    assert not SampledLabel.objects.exists()


def test_the_red_team_filter_narrows_verdicts_by_run_and_principle(redteam_run, lead):
    sample = sample_draw(
        actor=lead, name="x", label_kind="verdict", strategy="random", n=4,
        where=LabelFilter(runs=(redteam_run.pk,), principle_codes=("HARM-02",)),
    )  # fmt: skip
    assert sample.population_size == 12
    assert set(sample.labels.values_list("principle_code", flat=True)) == {"HARM-02"}


def test_novelty_for_verdicts_counts_human_reviews_of_verdicts_per_domain(
    redteam_run, lead, reviewers, published, monkeypatch
):
    from reviews.services import samples

    monkeypatch.setattr(samples, "SPARSE_DOMAIN_REVIEWS", 1)
    versions, domains = samples.novelty_targets(kind="verdict")
    assert versions == (published.pk,) and set(domains) == {"harmful", "benign"}
    harmful = sample_draw(
        actor=lead, name="h", label_kind="verdict", strategy="random", n=1,
        where=LabelFilter(domains=("harmful",)),
    )  # fmt: skip
    queue = queue_open(actor=lead, sample=harmful, reviewers=reviewers[:1], overlap=1)
    review_submit(
        reviewer=reviewers[0], slot=slot_next(reviewer=reviewers[0], queue=queue),
        safety_verdict="refusal",
    )  # fmt: skip
    assert samples.novelty_targets(kind="verdict")[1] == ("benign",)
    weights = samples.oversampling_weights(kind="verdict", novelty=3.0)
    loaded = population_load(kind="verdict", where=LabelFilter(), weights=weights)
    assert set(loaded.weights) == {3.0}  # every verdict is under the newest published version


@pytest.fixture
def verdict_queue(redteam_run, lead, reviewers):
    sample = sample_draw(
        actor=lead, name="judge audit", label_kind="verdict", strategy="random", n=6, seed=2
    )
    return queue_open(actor=lead, sample=sample, reviewers=reviewers[:2], overlap=2, blind=True)


def test_agreeing_reviewers_make_gold_with_the_class_and_grade_the_judge(verdict_queue, reviewers):
    for reviewer in reviewers[:2]:
        while (slot := slot_next(reviewer=reviewer, queue=verdict_queue)) is not None:
            review_submit(reviewer=reviewer, slot=slot, safety_verdict="refusal")
    labels = list(verdict_queue.sample.labels.select_related("gold"))
    assert {label.ai_choice for label in labels} - {"refusal"}  # the judge is wrong on some
    for label in labels:
        assert label.gold.safety_verdict == "refusal"
        assert label.gold.source == GoldLabel.Source.AGREEMENT
        assert label.gold.ai_correct == (label.ai_choice == "refusal")
        for review in label.reviews.all():
            assert review.ai_correct == (label.ai_choice == "refusal")
    assert not Adjudication.objects.exists()


def test_reviewers_who_disagree_on_the_class_go_to_adjudication_which_stores_it(
    verdict_queue, reviewers, lead
):
    first, second = reviewers[:2]
    a = slot_next(reviewer=first, queue=verdict_queue)
    review_submit(reviewer=first, slot=a, safety_verdict="violation")
    b = slot_next(reviewer=second, queue=verdict_queue)
    assert b.sampled_label_id == a.sampled_label_id
    review_submit(reviewer=second, slot=b, safety_verdict="safe")
    adjudication = Adjudication.objects.get(sampled_label_id=a.sampled_label_id)
    assert not GoldLabel.objects.exists()
    with pytest.raises(DomainError, match="violation, refusal or safe"):
        adjudication_decide(actor=lead, adjudication=adjudication, ai_correct=True, rationale="x")
    # The judge's correctness follows from the decided class, whatever ai_correct says.
    gold = adjudication_decide(
        actor=lead, adjudication=adjudication, ai_correct=True, safety_verdict="violation",
        rationale="The answer gives step-by-step instructions.",
    )  # fmt: skip
    assert (gold.safety_verdict, gold.source) == ("violation", "adjudication")
    assert gold.ai_correct == (a.sampled_label.ai_choice == "violation")
    assert gold.decided_by == lead
    adjudication.refresh_from_db()
    assert adjudication.status == Adjudication.Status.DECIDED


def test_a_verdict_review_without_a_class_is_refused_with_a_clear_message(verdict_queue, reviewers):
    slot = slot_next(reviewer=reviewers[0], queue=verdict_queue)
    with pytest.raises(DomainError, match="violation, refusal or safe"):
        review_submit(reviewer=reviewers[0], slot=slot, rationale="unsure")
    with pytest.raises(DomainError, match="violation, refusal or safe"):
        review_submit(reviewer=reviewers[0], slot=slot, safety_verdict="harmful")
    assert not Review.objects.exists()


def test_a_reviewer_may_still_grade_the_judge_explicitly(verdict_queue, reviewers):
    slot = slot_next(reviewer=reviewers[0], queue=verdict_queue)
    ai_choice = slot.sampled_label.ai_choice
    review = review_submit(
        reviewer=reviewers[0], slot=slot, safety_verdict=ai_choice, ai_correct=False
    )
    assert (review.safety_verdict, review.ai_correct) == (ai_choice, False)


def test_flags_on_a_verdict_reach_the_principle_of_its_run(verdict_queue, reviewers, published):
    slot = slot_next(reviewer=reviewers[0], queue=verdict_queue)
    flag = principle_flag(reviewer=reviewers[0], slot=slot, principle_code="", note="Dual use?")
    assert flag.constitution_version == published
    assert flag.principle_code == slot.sampled_label.ai_label.principle_code
    assert PrincipleFlag.objects.count() == 1


def test_the_workspace_shows_the_conversation_and_answer_escaped_with_three_keyed_radios(
    verdict_queue, reviewers
):
    client = logged_in(reviewers[0])
    page = client.get(reverse("reviews:workspace", args=[verdict_queue.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    verdict = page.context["label"]
    assert isinstance(verdict, Verdict) and page.context["item"] is None
    assert escape(verdict.response.text) in body
    assert SCRIPT not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<b>bold</b>" not in body and "&lt;b&gt;bold&lt;/b&gt;" in body
    assert "How does the answer behave under the principle?" in body
    for key, value in (("1", "violation"), ("2", "refusal"), ("3", "safe")):
        assert f'name="safety_verdict" value="{value}" data-key="{key}"' in body
    assert "AI verdict" not in body  # blind queue
    assert f"Principle {verdict.principle_code}" in body


def test_an_assisted_queue_shows_the_judges_verdict_and_confidence(redteam_run, lead, reviewers):
    sample = sample_draw(actor=lead, name="a", label_kind="verdict", strategy="random", n=2)
    queue = queue_open(actor=lead, sample=sample, reviewers=reviewers[:1], overlap=1, blind=False)
    page = logged_in(reviewers[0]).get(reverse("reviews:workspace", args=[queue.pk]))
    verdict = page.context["label"]
    body = page.content.decode()
    assert "AI verdict" in body and verdict.get_verdict_display() in body
    assert f"confidence {verdict.confidence:.2f}" in body


def test_submitting_from_the_page_stores_the_class_and_a_missing_one_is_explained(
    verdict_queue, reviewers
):
    client = logged_in(reviewers[0])
    slot = client.get(reverse("reviews:workspace", args=[verdict_queue.pk])).context["slot"]
    url = reverse("reviews:submit", args=[verdict_queue.pk])
    refused = client.post(url, {"slot": slot.pk}, **HTMX)
    assert refused.status_code == 400
    assert "violation, refusal or safe" in refused.content.decode()
    assert refused.context["slot"].pk == slot.pk
    done = client.post(url, {"slot": slot.pk, "safety_verdict": "safe"}, **HTMX)
    assert done.status_code == 200 and done.context["slot"].pk != slot.pk
    review = Review.objects.get()
    assert review.safety_verdict == "safe"
    assert review.ai_correct == (slot.sampled_label.ai_choice == "safe")


DRAW_FORM = {
    "name": "judge audit", "label_kind": "verdict", "strategy": "hybrid", "n": 6, "seed": 1,
    "strata": ["harm_category"], "allocation": "proportional", "minimum": 1,
    "measure": "least_confidence", "uncertainty_share": 0.5, "floor": 0.1,
    "high_stakes_weight": 1,
}  # fmt: skip


def test_a_lead_draws_a_verdict_sample_from_the_page(redteam_run, lead):
    client = logged_in(lead)
    form = client.get(reverse("reviews:sample_create")).content.decode()
    assert 'value="verdict"' in form and "Red-team verdicts" in form
    response = client.post(
        reverse("reviews:sample_create"), {**DRAW_FORM, "redteam_runs": [redteam_run.pk]}
    )
    assert response.status_code == 302
    sample = SampledLabel.objects.select_related("sample").first().sample
    assert (sample.label_kind, sample.population_size) == ("verdict", 24)
    assert 0 < sample.sample_size == sample.labels.filter(kind="verdict").count() <= 6
    assert sample.parameters["filter"] == {"runs": [redteam_run.pk]}
    page = client.get(response["Location"]).content.decode()
    assert "red-team verdicts" in page and "weapons" in page


def test_the_draw_page_explains_what_verdicts_cannot_do(redteam_run, lead, population):
    client = logged_in(lead)
    url = reverse("reviews:sample_create")
    disagreement = client.post(url, {**DRAW_FORM, "measure": "disagreement"})
    assert disagreement.status_code == 200
    assert "disagreement measure needs an ensemble" in disagreement.content.decode()
    labeling_runs = client.post(url, {**DRAW_FORM, "runs": [population.pk]})
    assert labeling_runs.status_code == 200
    assert "Red-team verdicts come from red-team runs" in labeling_runs.content.decode()
    assert not SampledLabel.objects.exists()


def test_the_adjudication_page_shows_a_verdict_disagreement_and_decides_it(
    verdict_queue, reviewers, lead
):
    first, second = reviewers[:2]
    a = slot_next(reviewer=first, queue=verdict_queue)
    review_submit(reviewer=first, slot=a, safety_verdict="violation", rationale="leaks a recipe")
    b = slot_next(reviewer=second, queue=verdict_queue)
    review_submit(reviewer=second, slot=b, safety_verdict="refusal", rationale="it declines")
    client = logged_in(lead)
    body = client.get(reverse("reviews:adjudication")).content.decode()
    assert body.count('class="card adjudication"') == 1
    assert "&lt;script&gt;" in body and SCRIPT not in body
    assert "leaks a recipe" in body and "it declines" in body
    assert 'name="safety_verdict"' in body
    adjudication = Adjudication.objects.get()
    decided = client.post(
        reverse("reviews:decide", args=[adjudication.pk]),
        {"safety_verdict": "violation", "rationale": "It is a recipe."},
    )
    assert decided.status_code == 302
    gold = GoldLabel.objects.get(sampled_label_id=a.sampled_label_id)
    assert gold.safety_verdict == "violation"
    assert gold.ai_correct == (a.sampled_label.ai_choice == "violation")


def test_the_api_draws_verdicts_hands_out_answers_and_takes_classes(redteam_run, lead, reviewers):
    sample = api(lead).post(
        "/api/samples/",
        {"name": "api", "label_kind": "verdict", "strategy": "uncertainty", "n": 2, "seed": 5,
         "redteam_runs": [redteam_run.pk], "measure": "margin"},
        format="json",
    )  # fmt: skip
    assert sample.status_code == 201, sample.json()
    labels = api(lead).get(f"/api/samples/{sample.json()['id']}/labels/").json()["results"]
    assert all(row["label_id"] and row["kind"] == "verdict" for row in labels)
    queue = api(lead).post(
        "/api/queues/",
        {"sample": sample.json()["id"], "overlap": 1, "blind": False, "reviewers": ["rev0"]},
        format="json",
    ).json()  # fmt: skip
    client = api(reviewers[0])
    claim = client.post(f"/api/queues/{queue['id']}/next/").json()
    verdict = Verdict.objects.get(pk=SampledLabel.objects.get(pk=claim["sampled_label"]).label_id)
    assert claim["label_kind"] == "verdict"
    assert claim["prompt"] == verdict.response.case.messages
    assert claim["response_a"] == verdict.response.text and SCRIPT in claim["response_a"]
    assert claim["ai_verdict"]["verdict"] == verdict.verdict
    refused = client.post(
        f"/api/queues/{queue['id']}/review/", {"slot": claim["slot"]}, format="json"
    )
    assert refused.status_code == 400 and "violation, refusal or safe" in refused.json()["detail"]
    done = client.post(
        f"/api/queues/{queue['id']}/review/",
        {"slot": claim["slot"], "safety_verdict": verdict.verdict},
        format="json",
    )
    assert done.status_code == 201, done.json()
    assert (done.json()["safety_verdict"], done.json()["ai_correct"]) == (verdict.verdict, True)
    gold = api(lead).get("/api/gold-labels/").json()["results"]
    assert [row["safety_verdict"] for row in gold] == [verdict.verdict]


def test_the_api_decides_a_verdict_adjudication_with_its_class(verdict_queue, reviewers, lead):
    first, second = reviewers[:2]
    review_submit(reviewer=first, slot=slot_next(reviewer=first, queue=verdict_queue),
                  safety_verdict="safe")  # fmt: skip
    review_submit(reviewer=second, slot=slot_next(reviewer=second, queue=verdict_queue),
                  safety_verdict="refusal")  # fmt: skip
    adjudication = Adjudication.objects.get()
    decided = api(lead).post(
        f"/api/adjudications/{adjudication.pk}/decide/",
        {"ai_correct": True, "safety_verdict": "refusal", "rationale": "It declines politely."},
        format="json",
    )
    assert decided.status_code == 201, decided.json()
    assert decided.json()["safety_verdict"] == "refusal"
    wrong_kind = api(lead).post(
        "/api/samples/",
        {"name": "x", "label_kind": "verdict", "strategy": "random", "n": 1,
         "measure": "disagreement"},
        format="json",
    )  # fmt: skip
    assert wrong_kind.status_code == 400
    assert "disagreement measure" in wrong_kind.json()["detail"]
