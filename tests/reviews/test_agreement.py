"""Agreement statistics cross-checked against the reference libraries on the same data."""

import krippendorff
import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score
from sklearn.metrics import confusion_matrix as sk_confusion_matrix
from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss_kappa
from statsmodels.stats.proportion import proportion_confint, proportions_ztest

from reviews.agreement import (
    cohen_kappa,
    cohen_kappa_estimate,
    confusion_matrix,
    expected_calibration_error,
    fleiss_kappa,
    horvitz_thompson_rate,
    krippendorff_alpha_nominal,
    reliability_bins,
    two_proportion_drift,
    wilson_interval,
)
from reviews.sampling import hybrid, pps

LABELS = ["A", "B", "tie"]


@pytest.fixture
def ratings():
    rng = np.random.default_rng(0)
    truth = rng.choice(LABELS, 300, p=[0.45, 0.45, 0.1])
    noisy = np.where(rng.random(300) < 0.7, truth, rng.choice(LABELS, 300))
    return truth, noisy


def test_cohen_kappa_and_confusion_match_scikit_learn(ratings):
    a, b = ratings
    assert cohen_kappa(a, b, LABELS) == pytest.approx(cohen_kappa_score(a, b, labels=LABELS))
    assert np.array_equal(confusion_matrix(a, b, LABELS), sk_confusion_matrix(a, b, labels=LABELS))
    estimate = cohen_kappa_estimate(a, b, LABELS, reps=300)
    assert estimate.low < estimate.value < estimate.high


def test_fleiss_kappa_matches_statsmodels():
    rng = np.random.default_rng(1)
    counts = np.array(
        [np.bincount(rng.choice(3, 4, p=[0.6, 0.3, 0.1]), minlength=3) for _ in range(50)]
    )
    assert fleiss_kappa(counts) == pytest.approx(sm_fleiss_kappa(counts, method="fleiss"))


def test_krippendorff_alpha_matches_the_package_with_missing_ratings():
    rng = np.random.default_rng(2)
    truth = rng.integers(0, 3, 60)
    data = np.array(
        [np.where(rng.random(60) < 0.8, truth, rng.integers(0, 3, 60)) for _ in range(3)], float
    )
    data[rng.random(data.shape) < 0.2] = np.nan
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    assert krippendorff_alpha_nominal(data) == pytest.approx(expected)


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


def test_calibration_of_a_calibrated_and_an_overconfident_critic():
    rng = np.random.default_rng(3)
    confidence = rng.uniform(0.5, 1.0, 20000)
    calibrated = rng.random(20000) < confidence
    overconfident = rng.random(20000) < confidence - 0.2
    assert expected_calibration_error(confidence, calibrated) < 0.02
    assert expected_calibration_error(confidence, overconfident) == pytest.approx(0.2, abs=0.02)
    bins = reliability_bins(confidence, calibrated)
    assert sum(b.count for b in bins) == 20000 and bins[0].count == 0  # nothing below 0.1


@pytest.mark.parametrize("design", ["uncertainty", "hybrid"])
def test_weighted_interval_covers_the_true_error_rate_where_the_plain_mean_is_biased(design):
    """200 seeded repetitions on a population whose errors concentrate where the AI is unsure."""
    rng = np.random.default_rng(4)
    size = 5000
    strata = rng.integers(0, 4, size)
    uncertainty = rng.beta(2, 5, size)
    error_rate = np.array([0.05, 0.1, 0.2, 0.3])[strata] + 0.4 * uncertainty
    errors = (rng.random(size) < error_rate).astype(float)
    truth = errors.mean()
    covered, plain, weighted = 0, [], []
    for seed in range(200):
        if design == "uncertainty":
            sample = pps(uncertainty, 300, seed=seed, floor=0.2)
        else:
            sample = hybrid(uncertainty, strata, 300, seed=seed, floor=0.2)
        estimate = horvitz_thompson_rate(errors[sample.index], sample.inclusion_probability, size)
        covered += estimate.low <= truth <= estimate.high
        plain.append(errors[sample.index].mean())
        weighted.append(estimate.value)
    assert covered / 200 >= 0.93
    # The unweighted mean is biased upward, beyond its Monte Carlo noise; the weighted one is not.
    plain_bias = np.mean(plain) - truth
    assert plain_bias > 4 * np.std(plain) / np.sqrt(200)
    assert abs(np.mean(weighted) - truth) < plain_bias / 2
