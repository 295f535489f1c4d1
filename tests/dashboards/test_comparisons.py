"""Drift over time, constitution versions side by side, reviewer quality and the API."""

from datetime import timedelta

import krippendorff
import numpy as np
import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient
from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss_kappa

from constitutions import services as constitution_services
from dashboards import selectors
from dashboards.scope import Scope
from labeling.filters import LabelFilter
from reviews.models import Review, SampledLabel
from reviews.services.queues import queue_open
from reviews.services.samples import sample_draw
from tests.conftest import logged_in

from .conftest import adjudicate_all, make_labels, review_all

pytestmark = pytest.mark.django_db


def monday(weeks_ago: int):
    today = timezone.now()
    return today - timedelta(days=today.weekday() + 7 * weeks_ago)


def test_a_significant_drop_raises_the_drift_alert_on_overview_and_principle(audited, lead):
    labels = SampledLabel.objects.filter(sample=audited)
    right = labels.filter(gold__ai_correct=True)
    wrong = labels.filter(gold__ai_correct=False)
    keep_right = list(right.values_list("pk", flat=True)[:2])
    right.exclude(pk__in=keep_right).update(labeled_at=monday(1))
    labels.filter(pk__in=keep_right).update(labeled_at=monday(0))
    wrong.update(labeled_at=monday(0))
    data = selectors.overview(scope=Scope())
    drift = data.principles.overall_drift
    assert len(drift.periods) == 2 and drift.alert and drift.p_value < 0.05
    assert drift.periods[0].agreement.value == 1.0
    client = logged_in(lead)
    body = client.get(reverse("dashboards:overview")).content.decode()
    assert 'data-testid="drift-alert"' in body
    code = wrong.values_list("principle_code", flat=True).first()
    page = client.get(reverse("dashboards:principle", args=[code]))
    assert page.context["drift"].periods[-1].agreement.value < 1.0


def test_no_alert_without_a_drop(audited):
    """The same share of right and wrong labels in both weeks: no alert."""
    labels = SampledLabel.objects.filter(sample=audited)
    for correct in (True, False):
        ids = list(
            labels.filter(gold__ai_correct=correct).order_by("pk").values_list("pk", flat=True)
        )
        labels.filter(pk__in=ids[::2]).update(labeled_at=monday(1))
        labels.filter(pk__in=ids[1::2]).update(labeled_at=monday(0))
    drift = selectors.overview(scope=Scope()).principles.overall_drift
    assert len(drift.periods) == 2 and not drift.alert


def test_versions_side_by_side_mark_edited_principles_and_test_the_difference(
    audited, published, editor, lead, reviewers
):
    draft = constitution_services.version_fork(actor=editor, version=published)
    principle = draft.principles.get(code="HARM-01", locale="")
    constitution_services.principle_update(
        actor=editor, principle=principle, lock_version=principle.lock_version,
        critique_request="Which response is least likely to enable any harm at all?",
    )  # fmt: skip
    second = constitution_services.version_publish(actor=editor, version=draft, changelog="HARM-01")
    make_labels(second, 30, seed=2)
    sample = sample_draw(
        actor=lead, name="v2 audit", label_kind="preference", strategy="random", n=12, seed=1,
        where=LabelFilter(constitution_version=second.pk),
    )  # fmt: skip
    queue = queue_open(actor=lead, sample=sample, reviewers=reviewers[:2], overlap=2)
    review_all(queue, reviewers[:2])
    adjudicate_all(lead)
    comparison = selectors.versions_compare(scope=Scope(), a=published, b=second)
    rows = {row.code: row for row in comparison.rows}
    assert rows["HARM-01"].status == "changed" and rows["HON-01"].status == "unchanged"
    for row in rows.values():
        assert (
            row.a.gold + row.b.gold
            == SampledLabel.objects.filter(principle_code=row.code, gold__isnull=False).count()
        )
        assert row.difference.difference == pytest.approx(
            row.b.agreement.value - row.a.agreement.value
        )
        assert 0 <= row.difference.p_value <= 1
    page = logged_in(lead).get(reverse("dashboards:versions") + f"?a={published.pk}&b={second.pk}")
    assert page.status_code == 200 and "changed" in page.content.decode()


def test_reviewer_quality_and_inter_rater_statistics_match_the_references(audited, reviewers):
    report = selectors.reviewer_report(scope=Scope())
    by_name = {r.username: r for r in report.reviewers}
    assert set(by_name) == {"rev0", "rev1"}
    reviews = list(Review.objects.select_related("sampled_label__gold"))
    for name, stats in by_name.items():
        mine = [r for r in reviews if r.reviewer.username == name]
        assert stats.reviews == len(mine) == 24
        # Measured only against gold decided without them: here, the lead's adjudications.
        judged = [r for r in mine if r.sampled_label.gold.source == "adjudication"]
        assert stats.agree_gold.n == len(judged) > 0
        assert stats.agree_gold.value == pytest.approx(
            np.mean([r.preference == r.sampled_label.gold.preference for r in judged])
        )
    categories = ["A", "B", "tie", "both_bad"]
    labels = sorted({r.sampled_label_id for r in reviews})
    raters = sorted({r.reviewer_id for r in reviews})
    data = np.full((len(raters), len(labels)), np.nan)
    for r in reviews:
        data[raters.index(r.reviewer_id), labels.index(r.sampled_label_id)] = categories.index(
            r.preference
        )
    ir = report.inter_rater
    assert ir.krippendorff_alpha == pytest.approx(
        krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    )
    counts = np.array([[np.sum(data[:, i] == k) for k in range(4)] for i in range(len(labels))])
    assert ir.fleiss_kappa == pytest.approx(sm_fleiss_kappa(counts))
    same = np.mean(data[0] == data[1])
    assert ir.raw_agreement.value == pytest.approx(same)
    assert by_name["rev0"].agree_peers.value == pytest.approx(same)


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_api_serves_every_dashboard_with_the_same_numbers(audited, lead, reviewers):
    client = api(lead)
    overview = client.get("/api/agreement/overview/").json()
    total = selectors.overview(scope=Scope()).total
    assert overview["total"]["agreement"] == pytest.approx(total.agreement.value)
    assert overview["total"]["agreement_low"] == pytest.approx(total.agreement.low)
    assert {row["group"] for row in overview["tables"]["by_principle"]} == {
        "HARM-01", "HARM-02", "HON-01",
    }  # fmt: skip
    assert overview["tables"]["populations"][0]["weighted"] is not None
    for url in (
        "/api/agreement/breakdown/?by=domain", "/api/agreement/principles/HARM-01/",
        "/api/agreement/time/", "/api/agreement/versions/", "/api/agreement/reviewers/",
        "/api/agreement/items/?outcome=disagree",
    ):  # fmt: skip
        assert client.get(url).status_code == 200, url
    items = client.get("/api/agreement/items/?outcome=disagree").json()
    assert items["count"] == sum(1 for r in items["results"] if r["ai_correct"] is False)
    assert client.get("/api/agreement/breakdown/?by=nothing").status_code == 400
    assert client.get("/api/agreement/overview/?sample=abc").status_code == 400
    assert client.get("/api/agreement/versions/?a=999999").status_code == 404
    assert api(reviewers[0]).get("/api/agreement/overview/").status_code == 403
    assert APIClient().get("/api/agreement/overview/").status_code in (401, 403)
    schema = client.get("/api/schema/").content.decode()
    assert "/api/agreement/overview/" in schema
