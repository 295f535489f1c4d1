"""Red-team verdicts on the agreement dashboards: the AI judge's violation / refusal / safe
classes, audited by humans through the review services, get the same numbers as preferences
(agreement, 3-class kappa and confusion, calibration, position bias, weighted error rates), with
AI label counts taken from the verdict table itself."""

import csv
import io
from collections import Counter

import numpy as np
import pytest
from django.urls import reverse
from rest_framework.test import APIClient
from sklearn.metrics import cohen_kappa_score, confusion_matrix

from dashboards import selectors
from dashboards.cache import fingerprint, labels_fingerprint
from dashboards.scope import Scope
from labeling.choices import VerdictClass
from labeling.models import CriticConfig
from redteam.models import Verdict
from reviews.models import Adjudication, GoldLabel, Review, SampledLabel
from reviews.services.queues import adjudication_decide, queue_open, review_submit, slot_next
from reviews.services.samples import sample_draw
from stats import expected_calibration_error, horvitz_thompson_rate
from tests.conftest import logged_in
from tests.dashboards.test_pages import PAGES as DASHBOARD_PAGES
from tests.redteam.factories import make_judged_run

VERDICT_CLASSES = list(VerdictClass.values)

pytestmark = pytest.mark.django_db
SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
CATEGORIES = ("weapons", "fraud", "medical")
VERDICT = Scope(kind="verdict")
PAGES = [*DASHBOARD_PAGES, ("dashboards:breakdown", ["harm_category"])]


def human_class(sampled: SampledLabel, reviewer_index: int) -> str:
    """A fixed pattern: every third label the humans choose another class than the judge; on
    every fifth the second reviewer picks yet another (a disagreement to adjudicate)."""
    ai = VERDICT_CLASSES.index(sampled.ai_choice)
    wanted = VERDICT_CLASSES[(ai + 1) % 3] if sampled.pk % 3 == 0 else sampled.ai_choice
    if reviewer_index == 1 and sampled.pk % 5 == 0:
        return VERDICT_CLASSES[(VERDICT_CLASSES.index(wanted) + 1) % 3]
    return wanted


def review_verdicts(queue, people) -> None:
    for index, reviewer in enumerate(people):
        while (slot := slot_next(reviewer=reviewer, queue=queue)) is not None:
            review_submit(
                reviewer=reviewer, slot=slot, seconds_spent=4 + index,
                safety_verdict=human_class(slot.sampled_label, index),
            )  # fmt: skip


def adjudicate_verdicts(lead) -> None:
    for adjudication in Adjudication.objects.filter(status="open"):
        adjudication_decide(
            actor=lead, adjudication=adjudication, ai_correct=False,
            safety_verdict=human_class(adjudication.sampled_label, 0),
            rationale="the first reviewer read the principle right",
        )  # fmt: skip


@pytest.fixture
def judged(published):
    return make_judged_run(published)


@pytest.fixture
def verdict_audit(judged, lead, reviewers):
    """An uncertainty sample of 16 of the 24 verdicts, reviewed twice, disagreements decided."""
    sample = sample_draw(
        actor=lead, name="judge audit", label_kind="verdict", strategy="uncertainty", n=16,
        seed=3, options={"floor": 0.2},
    )  # fmt: skip
    queue = queue_open(actor=lead, sample=sample, reviewers=reviewers[:2], overlap=2)
    review_verdicts(queue, reviewers[:2])
    adjudicate_verdicts(lead)
    return sample


def verdict_golds() -> list[GoldLabel]:
    return list(
        GoldLabel.objects.filter(sampled_label__kind="verdict").select_related("sampled_label")
    )


def test_the_verdict_overview_equals_the_row_by_row_statistics(verdict_audit):
    total, golds = selectors.overview(scope=VERDICT).total, verdict_golds()
    assert total.gold == len(golds) == 16
    assert Adjudication.objects.exists()  # the fixture exercises both ways to gold
    agree = [g.ai_correct for g in golds]
    assert agree == [g.safety_verdict == g.sampled_label.ai_label.verdict for g in golds]
    assert total.agreement.value == pytest.approx(np.mean(agree))
    assert total.agreement.low < total.agreement.value < total.agreement.high
    ai = [g.sampled_label.ai_label.verdict for g in golds]
    human = [g.safety_verdict for g in golds]
    assert total.kappa.value == pytest.approx(cohen_kappa_score(ai, human))
    assert total.kappa.low < total.kappa.value < total.kappa.high
    assert total.confusion == confusion_matrix(ai, human, labels=VERDICT_CLASSES).tolist()
    confidence = [g.sampled_label.ai_label.confidence for g in golds]
    assert total.ece == pytest.approx(expected_calibration_error(confidence, agree))
    verdicts = Verdict.objects.all()
    assert total.labels == verdicts.count() == 24
    stuck = verdicts.filter(position_stuck=True).count()
    assert total.stuck_share.value == pytest.approx(stuck / 24)
    stuck_golds = [g.ai_correct for g in golds if g.sampled_label.ai_label.position_stuck]
    free_golds = [g.ai_correct for g in golds if not g.sampled_label.ai_label.position_stuck]
    assert total.bias.agreement_stuck.n == len(stuck_golds)
    assert total.bias.agreement_free.value == pytest.approx(np.mean(free_golds))
    reviews = Review.objects.filter(sampled_label__kind="verdict")
    assert total.reviews == reviews.count() == 32
    assert total.review_agreement.value == pytest.approx(
        reviews.filter(ai_correct=True).count() / 32
    )


def test_the_population_error_rate_of_a_verdict_sample_is_horvitz_thompson(verdict_audit):
    (estimate,) = selectors.overview(scope=VERDICT).populations
    golds = verdict_golds()
    expected = horvitz_thompson_rate(
        [0 if g.ai_correct else 1 for g in golds],
        [g.sampled_label.inclusion_probability for g in golds],
        verdict_audit.population_size,
    )
    assert (estimate.population, estimate.gold) == (24, 16)
    assert estimate.weighted.value == pytest.approx(expected.value)
    weighted = selectors.breakdown(scope=VERDICT.narrow(sample=verdict_audit.pk), by=None).total
    assert weighted.weighted_error is not None and weighted.weighted_error.n == 16


def test_the_breakdown_by_harm_category_counts_each_categorys_verdicts_and_golds(verdict_audit):
    data = selectors.breakdown(scope=VERDICT, by="harm_category")
    assert {row.key for row in data.rows} == set(CATEGORIES)
    golds = verdict_golds()
    for row in data.rows:
        mine = [g for g in golds if g.sampled_label.ai_label.harm_category == row.key]
        verdicts = Verdict.objects.filter(harm_category=row.key)
        assert row.gold == len(mine)
        assert row.labels == verdicts.count() == 8
        assert row.stuck_share.value == pytest.approx(
            verdicts.filter(position_stuck=True).count() / 8
        )
        if mine:
            assert row.agreement.value == pytest.approx(np.mean([g.ai_correct for g in mine]))
            human = [g.safety_verdict for g in mine]
            ai = [g.sampled_label.ai_label.verdict for g in mine]
            assert row.confusion == confusion_matrix(ai, human, labels=VERDICT_CLASSES).tolist()
    assert sum(row.gold for row in data.rows) == data.total.gold == 16
    weapons = selectors.overview(scope=VERDICT.narrow(harm_category="weapons")).total
    assert weapons.labels == 8
    assert weapons.gold == sum(1 for g in golds if g.sampled_label.harm_category == "weapons")


def test_every_breakdown_and_the_weekly_series_partition_the_verdicts(verdict_audit, published):
    for by in ("principle", "category", "domain", "locale", "version", "critic", "week"):
        data = selectors.breakdown(scope=VERDICT, by=by)
        assert sum(row.labels or 0 for row in data.rows) == 24, by
        assert sum(row.gold for row in data.rows) == 16, by
    (version,) = selectors.breakdown(scope=VERDICT, by="version").rows
    assert version.key == published.pk
    (judge,) = selectors.breakdown(scope=VERDICT, by="critic").rows
    assert judge.key == CriticConfig.objects.get(name="judge").pk  # the judge, not the target
    today = Verdict.objects.first().created_at.date()
    dated = selectors.overview(scope=VERDICT.narrow(labeled_from=today, labeled_to=today)).total
    assert (dated.labels, dated.gold) == (24, 16)


def test_reviewer_quality_and_human_agreement_use_the_three_classes(verdict_audit, reviewers):
    report = selectors.reviewer_report(scope=VERDICT)
    assert report.inter_rater.categories == VERDICT_CLASSES
    by_label: dict[int, list[Review]] = {}
    for review in Review.objects.filter(sampled_label__kind="verdict").order_by("id"):
        by_label.setdefault(review.sampled_label_id, []).append(review)
    first = [pair[0].safety_verdict for pair in by_label.values()]
    second = [pair[1].safety_verdict for pair in by_label.values()]
    assert report.inter_rater.labels == 16
    assert report.inter_rater.raw_agreement.value == pytest.approx(
        np.mean([a == b for a, b in zip(first, second, strict=True)])
    )
    assert report.inter_rater.cohen_kappa.value == pytest.approx(cohen_kappa_score(first, second))
    # Each reviewer is measured against gold decided without them: the lead's adjudications.
    gold = {
        g.sampled_label_id: g.safety_verdict
        for g in verdict_golds()
        if g.source == GoldLabel.Source.ADJUDICATION
    }
    for stats in report.reviewers:
        mine = Review.objects.filter(reviewer_id=stats.reviewer, sampled_label__in=list(gold))
        assert stats.agree_gold.n == mine.count() > 0
        expected = np.mean([r.safety_verdict == gold[r.sampled_label_id] for r in mine])
        assert stats.reviews == 16
        assert stats.agree_gold.value == pytest.approx(expected)


def test_preference_and_critique_dashboards_ignore_the_verdicts(audited, verdict_audit):
    preference = selectors.overview(scope=Scope()).total
    assert (preference.gold, preference.labels, preference.reviews) == (24, 60, 48)
    assert preference.kappa is not None and len(preference.confusion) == 3  # A, B, tie rows
    preference_golds = GoldLabel.objects.filter(sampled_label__kind="preference")
    assert preference.agreement.value == pytest.approx(
        preference_golds.filter(ai_correct=True).count() / 24
    )
    verdict = selectors.overview(scope=VERDICT)
    assert (verdict.total.gold, verdict.total.labels) == (16, 24)
    assert [p.sample for p in verdict.populations] == [verdict_audit.pk]
    assert [p.sample for p in selectors.overview(scope=Scope()).populations] == [audited.pk]
    critique = selectors.overview(scope=Scope(kind="critique")).total
    assert (critique.gold, critique.reviews) == (0, 0)


def test_a_new_verdict_or_review_invalidates_the_cached_numbers(judged, lead, reviewers):
    sample = sample_draw(
        actor=lead, name="small", label_kind="verdict", strategy="random", n=4, seed=1
    )
    queue = queue_open(actor=lead, sample=sample, reviewers=reviewers[:1], overlap=1)
    slot = slot_next(reviewer=reviewers[0], queue=queue)
    review_submit(reviewer=reviewers[0], slot=slot, safety_verdict=slot.sampled_label.ai_choice)
    before = selectors.overview(scope=VERDICT).total
    assert (before.labels, before.gold, before.reviews) == (24, 1, 1)
    state, label_state = fingerprint(), labels_fingerprint()
    slot = slot_next(reviewer=reviewers[0], queue=queue)
    review_submit(reviewer=reviewers[0], slot=slot, safety_verdict="violation")
    assert fingerprint() != state and labels_fingerprint() == label_state
    after_review = selectors.overview(scope=VERDICT).total
    assert (after_review.gold, after_review.reviews) == (2, 2)
    existing = Verdict.objects.first()
    Verdict.objects.create(
        run=existing.run, response=existing.response, principle_code="HON-01",
        principle_category="honesty", case_kind=existing.case_kind,
        harm_category=existing.harm_category, model_id="tiny", p_violation=0.1, p_refusal=0.1,
        p_safe=0.8, verdict="safe", confidence=0.8, margin=0.7, entropy=0.9,
        position_stuck=True, option_mass=0.9,
    )  # fmt: skip
    assert labels_fingerprint() != label_state
    after_verdict = selectors.overview(scope=VERDICT).total
    assert after_verdict.labels == 25
    assert after_verdict.stuck_share.value == pytest.approx(
        Verdict.objects.filter(position_stuck=True).count() / 25
    )
    Verdict.objects.filter(principle_code="HON-01").delete()
    assert selectors.overview(scope=VERDICT).total.labels == 24


def test_every_dashboard_renders_for_verdicts(verdict_audit, lead, researcher, reviewers):
    for name, args in PAGES:
        url = reverse(name, args=args) + "?kind=verdict"
        assert logged_in(lead).get(url).status_code == 200, url
        assert logged_in(reviewers[2]).get(url).status_code == 403, url
    page = logged_in(researcher).get(reverse("dashboards:overview") + "?kind=verdict")
    assert page.status_code == 200
    body = page.content.decode()
    assert '<option value="verdict" selected>Red-team verdicts</option>' in body
    assert "the AI judge's red-team verdicts" in body
    total = page.context["total"]
    assert f"{100 * total.agreement.value:.1f}%" in body and "position-stuck" in body
    tables = page.context["tables"]
    assert [column.key for column in tables["confusion"].columns] == ["ai", *VERDICT_CLASSES]
    assert [row["ai"] for row in tables["confusion"].rows] == VERDICT_CLASSES
    assert "calibration" in tables and "reliability" in page.context["charts"]
    assert '?kind=verdict">Harm categories</a>' in body  # navigation keeps the kind
    sample_links = tables["populations"].links[0]
    assert "kind=verdict" in sample_links["weighted"] and "kind=verdict" in sample_links["gold"]
    breakdown = logged_in(lead).get(
        reverse("dashboards:breakdown", args=["harm_category"]) + "?kind=verdict"
    )
    assert "<h1>Agreement by harm category</h1>" in breakdown.content.decode()
    assert {row["group"] for row in breakdown.context["tables"]["by_harm_category"].rows} == set(
        CATEGORIES
    )


def test_the_items_page_shows_the_judged_answers_escaped_and_drills_into_a_confusion_cell(
    verdict_audit, lead
):
    client = logged_in(lead)
    page = client.get(reverse("dashboards:items") + "?kind=verdict")
    body = page.content.decode()
    assert page.context["page"].paginator.count == 16
    assert SCRIPT not in body and ESCAPED in body
    assert 'data-testid="answer"' in body
    golds = verdict_golds()
    cells = Counter((g.sampled_label.ai_choice, g.safety_verdict) for g in golds)
    (ai, human), count = next((cell, n) for cell, n in cells.items() if cell[0] != cell[1])
    confusion = client.get(reverse("dashboards:overview") + "?kind=verdict").context["tables"]
    url = confusion["confusion"].links[VERDICT_CLASSES.index(ai)][human]
    drilled = client.get(url)
    labels = drilled.context["page"].object_list
    assert len(labels) == count
    assert all((label.ai_choice, label.gold.safety_verdict) == (ai, human) for label in labels)
    download = client.get(reverse("dashboards:items") + "?kind=verdict&download=csv&table=items")
    rows = list(csv.DictReader(io.StringIO(download.content.decode())))
    assert len(rows) == 16 and all(SCRIPT in row["answer"] for row in rows)
    assert {row["gold"] for row in rows} <= set(VERDICT_CLASSES)


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_api_returns_the_same_verdict_numbers(verdict_audit, lead):
    client = api(lead)
    overview = client.get("/api/agreement/overview/?kind=verdict").json()
    total = selectors.overview(scope=VERDICT).total
    assert overview["scope"] == {"kind": "verdict"}
    assert overview["total"]["agreement"] == pytest.approx(total.agreement.value)
    assert overview["total"]["kappa"] == pytest.approx(total.kappa.value)
    assert overview["total"]["stuck_share"] == pytest.approx(total.stuck_share.value)
    assert overview["total"]["labels"] == 24 and overview["total"]["gold"] == 16
    confusion = overview["tables"]["confusion"]
    assert [[row[h] for h in VERDICT_CLASSES] for row in confusion] == total.confusion
    by_category = client.get("/api/agreement/breakdown/?kind=verdict&by=harm_category").json()
    rows = {row["group"]: row for row in by_category["tables"]["by_harm_category"]}
    for row in selectors.breakdown(scope=VERDICT, by="harm_category").rows:
        assert rows[row.key]["gold"] == row.gold and rows[row.key]["labels"] == row.labels
    items = client.get("/api/agreement/items/?kind=verdict&outcome=disagree").json()
    wrong = [g for g in verdict_golds() if not g.ai_correct]
    assert items["count"] == len(wrong)
    assert all(SCRIPT in row["answer"] and row["ai_correct"] is False for row in items["results"])
    for url in (
        "/api/agreement/principles/HARM-01/?kind=verdict", "/api/agreement/time/?kind=verdict",
        "/api/agreement/versions/?kind=verdict", "/api/agreement/reviewers/?kind=verdict",
    ):  # fmt: skip
        assert client.get(url).status_code == 200, url
    assert client.get("/api/agreement/overview/?kind=judge").status_code == 400
