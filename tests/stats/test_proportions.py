"""Proportions and their comparisons cross-checked against statsmodels."""

import math

import numpy as np
import pytest
from statsmodels.stats.proportion import (
    confint_proportions_2indep,
    proportion_confint,
    proportions_ztest,
)

from stats.proportions import (
    two_proportion_drift,
    two_proportion_test,
    wilson_interval,
    win_rate,
)


def test_wilson_interval_matches_statsmodels():
    for successes, n in [(0, 10), (7, 10), (480, 1000)]:
        estimate = wilson_interval(successes, n)
        low, high = proportion_confint(successes, n, method="wilson")
        assert (estimate.low, estimate.high) == pytest.approx((low, high))


def test_drift_alert_is_a_one_sided_two_proportion_test():
    p_value, alert = two_proportion_drift(160, 200, 120, 200)
    _, expected = proportions_ztest([160, 120], [200, 200], alternative="larger")
    assert p_value == pytest.approx(expected) and alert
    assert two_proportion_drift(160, 200, 158, 200)[1] is False


@pytest.mark.parametrize(
    "agree1, n1, agree2, n2", [(160, 200, 120, 200), (45, 50, 46, 60), (3, 10, 9, 12), (0, 8, 5, 9)]
)
def test_two_proportion_test_matches_statsmodels(agree1, n1, agree2, n2):
    result = two_proportion_test(agree1, n1, agree2, n2)
    assert result.difference == pytest.approx(agree2 / n2 - agree1 / n1)
    _, p_value = proportions_ztest([agree1, agree2], [n1, n2])
    assert result.p_value == pytest.approx(p_value)
    # statsmodels reports count1/nobs1 - count2/nobs2, so the second side goes first.
    low, high = confint_proportions_2indep(agree2, n2, agree1, n1, method="newcomb")
    assert (result.low, result.high) == pytest.approx((low, high))
    assert result.first == wilson_interval(agree1, n1) and result.second.n == n2
    assert (result.n1, result.n2) == (n1, n2)


def test_two_proportion_test_without_spread_or_data():
    assert two_proportion_test(10, 10, 20, 20).p_value == 1.0
    empty = two_proportion_test(5, 10, 0, 0)
    assert math.isnan(empty.difference) and math.isnan(empty.p_value)
    assert (empty.low, empty.high) == (-1.0, 1.0)


def test_win_rate_averages_both_orders_and_counts_ties_as_halves():
    estimate = win_rate([0.9, 0.2, 0.5, 0.7], [0.7, 0.4, 0.5, 0.2])
    # means: 0.8 win, 0.3 loss, 0.5 tie, 0.45 loss -> 1.5 / 4
    assert estimate.value == pytest.approx(0.375) and estimate.n == 4
    with pytest.raises(ValueError):
        win_rate([0.5], [])


def test_win_rate_interval_is_wilson_on_the_rounded_score_and_swapping_the_models_mirrors_it():
    rng = np.random.default_rng(11)
    first, second = rng.random(41).tolist(), rng.random(41).tolist()
    first[:3], second[:3] = [0.5, 0.3, 0.6], [0.5, 0.7, 0.4]  # three exact ties
    estimate = win_rate(first, second)
    means = (np.array(first) + np.array(second)) / 2
    score = (means > 0.5).sum() + 0.5 * (means == 0.5).sum()
    assert estimate.value == pytest.approx(score / 41) and estimate.n == 41
    low, high = proportion_confint(round(score), 41, method="wilson")
    assert (estimate.low, estimate.high) == pytest.approx((low, high))
    mirrored = win_rate([1 - p for p in first], [1 - p for p in second])
    assert mirrored.value == pytest.approx(1 - estimate.value)
    empty = win_rate([], [])
    assert math.isnan(empty.value) and (empty.low, empty.high, empty.n) == (0.0, 1.0, 0)
