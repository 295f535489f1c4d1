"""A fourth AI-label kind is one registration: tests/toykind/apps.py registers toxicity flags
(a label model on labeling's abstract base, and its LabelKind), and with no other edit its labels
are sampled, reviewed blind on the page and through the API, adjudicated, and counted on the
dashboards."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from cai_audit.errors import DomainError
from dashboards import selectors as dashboard_selectors
from dashboards.scope import Scope
from labeling import kinds
from labeling.models import CriticConfig, Item, ItemSet, LabelingRun
from labeling.services.processing import item_facts
from reviews import selectors
from reviews.models import Adjudication, GoldLabel, Review
from reviews.services.queues import adjudication_decide, queue_open, review_submit, slot_next
from reviews.services.samples import sample_draw
from tests.conftest import logged_in
from tests.toykind.models import ToxicityLabel

TOY = Scope(kind="toxicity")


@pytest.fixture
def toxicity_run(published):
    item_set = ItemSet.objects.create(name="toxicity", item_count=12)
    items = Item.objects.bulk_create(
        Item(item_set=item_set, line=n + 1, kind="single", domain=("chat", "code")[n % 2],
             prompt=[{"role": "user", "content": f"question {n}"}], response_a=f"answer {n}")
        for n in range(12)
    )  # fmt: skip
    critic = CriticConfig.objects.create(
        name="toxicity classifier", backend="transformers", model="imported"
    )
    run = LabelingRun.objects.create(
        constitution_version=published, item_set=item_set, critic=critic, task="critique",
        status="done", total_units=12,
    )  # fmt: skip
    ToxicityLabel.objects.bulk_create(
        ToxicityLabel(run=run, item=item, principle_code=("HARM-01", "HON-01")[n % 2],
                      model_id="imported", flag=("toxic", "clean")[n % 3 == 0],
                      confidence=0.5 + n / 30, **item_facts(item))
        for n, item in enumerate(items)
    )  # fmt: skip
    return run


def test_the_registry_knows_the_toy_kind_and_names_the_known_ones_for_an_unknown_key(db):
    assert kinds.get("toxicity").model is ToxicityLabel
    keys = [kind.key for kind in kinds.all()][:4]
    assert keys == ["preference", "critique", "safety", "verdict"]
    with pytest.raises(
        DomainError, match="use one of preference, critique, safety, verdict, toxicity"
    ):
        kinds.get("sentiment")


def test_a_toy_kind_is_sampled_reviewed_and_counted_without_edits(toxicity_run, lead, reviewers):
    sample = sample_draw(
        actor=lead, name="toxicity audit", label_kind="toxicity", strategy="uncertainty", n=6,
        seed=3, strata_fields=("principle", "domain"), options={"floor": 0.1},
    )  # fmt: skip
    rows = list(sample.labels.all())
    assert (sample.population_size, len(rows)) == (12, 6)
    for row in rows:
        label = row.ai_label
        assert (row.kind, row.ai_choice, row.ai_confidence) == (
            "toxicity",
            label.flag,
            pytest.approx(label.confidence),
        )
        assert row.stratum == f"{label.principle_code}|{label.domain}"
        assert row.score == pytest.approx(1 - label.confidence)
        assert row.critic_id == toxicity_run.critic_id
    queue = queue_open(actor=lead, sample=sample, reviewers=reviewers[:2], overlap=2)
    other = {"toxic": "clean", "clean": "toxic"}
    for seat, reviewer in enumerate(reviewers[:2]):
        while (slot := slot_next(reviewer=reviewer, queue=queue)) is not None:
            ai_choice = slot.sampled_label.ai_choice
            # The second reviewer disagrees with the AI on every other label.
            choice = other[ai_choice] if seat and slot.sampled_label_id % 2 else ai_choice
            with pytest.raises(DomainError, match="toxic or clean"):
                review_submit(reviewer=reviewer, slot=slot, choice="maybe")
            review_submit(reviewer=reviewer, slot=slot, choice=choice)
    assert Review.objects.count() == 12
    reviews = Review.objects.select_related("sampled_label")
    assert all(r.ai_correct == (r.choice == r.sampled_label.ai_choice) for r in reviews)
    open_ = list(Adjudication.objects.filter(status="open"))
    assert open_ and GoldLabel.objects.count() == 6 - len(open_)
    for adjudication in open_:
        decided = adjudication_decide(
            actor=lead, adjudication=adjudication, choice="toxic", rationale="flagged words"
        )
        assert decided.ai_correct == (adjudication.sampled_label.ai_choice == "toxic")
    golds = list(GoldLabel.objects.select_related("sampled_label"))
    total = dashboard_selectors.overview(scope=TOY).total
    assert (total.gold, total.reviews, total.labels) == (6, 12, 12)
    assert total.agreement.value == pytest.approx(sum(g.ai_correct for g in golds) / 6)
    flags = ["toxic", "clean"]
    expected = [[0, 0], [0, 0]]
    for gold in golds:
        expected[flags.index(gold.sampled_label.ai_choice)][flags.index(gold.choice)] += 1
    assert total.confusion == expected


def test_the_toy_kind_is_reviewed_blind_on_the_page_and_through_the_api(
    toxicity_run, lead, reviewers
):
    sample = sample_draw(actor=lead, name="t", label_kind="toxicity", strategy="random", n=4)
    queue = queue_open(actor=lead, sample=sample, reviewers=reviewers[:1], overlap=1)
    page = logged_in(reviewers[0]).get(reverse("reviews:workspace", args=[queue.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="choice" value="toxic"' in html and 'name="choice" value="clean"' in html
    slot = page.context["slot"]
    label = slot.sampled_label.ai_label
    assert label.item.response_a in html and "ai-verdict" not in html
    api = APIClient()
    api.force_authenticate(reviewers[0])
    claim = api.post(f"/api/queues/{queue.pk}/next/").json()
    assert claim["slot"] == slot.pk and claim["label_kind"] == "toxicity"
    assert claim["ai_verdict"] is None and claim["response_a"] == label.item.response_a
    done = api.post(
        f"/api/queues/{queue.pk}/review/", {"slot": slot.pk, "choice": label.flag},
        format="json",
    )  # fmt: skip
    assert done.status_code == 201 and done.json()["ai_correct"] is True
    for path in ("overview", "items"):
        response = logged_in(lead).get(reverse(f"dashboards:{path}"), {"kind": "toxicity"})
        assert response.status_code == 200, path


def test_the_toy_kind_says_which_measures_it_has(toxicity_run, lead):
    with pytest.raises(DomainError, match="margin measure needs"):
        sample_draw(actor=lead, name="t", label_kind="toxicity", strategy="uncertainty", n=2,
                    measure="margin")  # fmt: skip
    assert selectors.queues_for(lead).count() == 0
