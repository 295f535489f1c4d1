"""The dashboard numbers come from SQL aggregates: each is checked against the same statistic
computed from the raw rows (and, where one exists, the reference library)."""

import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from dashboards import selectors
from dashboards.scope import Scope
from labeling.models import PreferenceLabel
from reviews.models import GoldLabel
from stats import expected_calibration_error, horvitz_thompson_rate

pytestmark = pytest.mark.django_db


def gold_rows():
    return list(GoldLabel.objects.select_related("sampled_label"))


def test_overview_numbers_equal_the_row_by_row_statistics(audited):
    overview = selectors.overview(scope=Scope())
    total, golds = overview.total, gold_rows()
    assert total.gold == len(golds) == 24
    agree = [g.ai_correct for g in golds]
    assert total.agreement.value == pytest.approx(np.mean(agree))
    assert total.agreement.low < total.agreement.value < total.agreement.high
    ai = [g.sampled_label.ai_label.choice for g in golds]
    human = [g.preference for g in golds]
    assert total.kappa.value == pytest.approx(cohen_kappa_score(ai, human))
    confidence = [g.sampled_label.ai_label.confidence for g in golds]
    assert total.ece == pytest.approx(expected_calibration_error(confidence, agree))
    labels = PreferenceLabel.objects.all()
    assert total.labels == labels.count() == 60
    assert total.stuck_share.value == pytest.approx(labels.filter(position_stuck=True).count() / 60)
    stuck = [g.ai_correct for g in golds if g.sampled_label.position_stuck]
    assert total.bias.agreement_stuck.n == len(stuck)
    assert total.reviews == 48


def test_population_estimate_is_horvitz_thompson_over_the_sample(audited):
    (estimate,) = selectors.overview(scope=Scope()).populations
    golds = gold_rows()
    expected = horvitz_thompson_rate(
        [0 if g.ai_correct else 1 for g in golds],
        [g.sampled_label.inclusion_probability for g in golds],
        audited.population_size,
    )
    assert estimate.weighted.value == pytest.approx(expected.value)
    assert (estimate.weighted.low, estimate.weighted.high) == pytest.approx(
        (expected.low, expected.high)
    )
    assert estimate.unweighted.value == pytest.approx(np.mean([not g.ai_correct for g in golds]))


def test_principle_breakdown_partitions_the_total(audited):
    data = selectors.breakdown(scope=Scope(), by="principle")
    assert {row.key for row in data.rows} == {"HARM-01", "HARM-02", "HON-01"}
    assert sum(row.gold for row in data.rows) == data.total.gold
    assert sum(row.labels for row in data.rows) == 60
    for row in data.rows:
        golds = [g for g in gold_rows() if g.sampled_label.principle_code == row.key]
        assert row.agreement.value == pytest.approx(np.mean([g.ai_correct for g in golds]))


def test_filters_narrow_every_number(audited):
    scoped = selectors.overview(scope=Scope(principle="HON-01"))
    golds = [g for g in gold_rows() if g.sampled_label.principle_code == "HON-01"]
    assert scoped.total.gold == len(golds)
    assert scoped.total.labels == PreferenceLabel.objects.filter(principle_code="HON-01").count()
    weighted = selectors.breakdown(scope=Scope(sample=audited.pk), by=None).total
    assert weighted.weighted_error is not None and weighted.weighted_error.n == 24
