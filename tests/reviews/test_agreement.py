"""Agreement statistics cross-checked against the reference libraries on the same data."""

import math
from dataclasses import astuple

import krippendorff
import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score
from sklearn.metrics import confusion_matrix as sk_confusion_matrix
from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss_kappa
from statsmodels.stats.proportion import (
    confint_proportions_2indep,
    proportion_confint,
    proportions_ztest,
)

from reviews.agreement import (
    bootstrap_interval,
    calibration_bin,
    calibration_from_bins,
    cohen_kappa,
    cohen_kappa_estimate,
    cohen_kappa_from_matrix,
    confusion_matrix,
    expected_calibration_error,
    fleiss_kappa,
    hajek_rate,
    hajek_rate_from_sums,
    horvitz_thompson_from_sums,
    horvitz_thompson_rate,
    kappa_estimate_from_matrix,
    kappa_interval_from_matrix,
    krippendorff_alpha_from_counts,
    krippendorff_alpha_nominal,
    position_bias,
    reliability_bins,
    two_proportion_drift,
    two_proportion_test,
    wilson_interval,
)
from reviews.sampling import pps
from reviews.simulation import coverage_simulation, synthetic_population

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


def test_kappa_from_a_confusion_matrix_matches_scikit_learn(ratings):
    a, b = ratings
    matrix = confusion_matrix(a, b, LABELS)
    assert cohen_kappa_from_matrix(matrix) == pytest.approx(cohen_kappa_score(a, b, labels=LABELS))
    assert cohen_kappa_from_matrix(matrix.tolist()) == cohen_kappa(a, b, LABELS)


def test_multinomial_bootstrap_of_the_matrix_agrees_with_the_item_bootstrap(ratings):
    """Resampling the cells with their observed shares is resampling the items."""
    a, b = ratings
    matrix = confusion_matrix(a, b, LABELS)
    low, high = kappa_interval_from_matrix(matrix, reps=2000, seed=1)
    item_low, item_high = bootstrap_interval(
        lambda x, y: cohen_kappa(x, y, LABELS), a, b, reps=2000, seed=1
    )
    assert low == pytest.approx(item_low, abs=0.03) and high == pytest.approx(item_high, abs=0.03)
    assert low < cohen_kappa_score(a, b, labels=LABELS) < high
    estimate = kappa_estimate_from_matrix(matrix, reps=2000, seed=1)
    assert (estimate.low, estimate.high, estimate.n) == (low, high, 300)
    assert cohen_kappa_estimate(a, b, LABELS, reps=2000, seed=1) == estimate
    narrower = kappa_interval_from_matrix(matrix, reps=2000, seed=1, level=0.5)
    assert low < narrower[0] < narrower[1] < high


def test_fleiss_kappa_matches_statsmodels():
    rng = np.random.default_rng(1)
    counts = np.array(
        [np.bincount(rng.choice(3, 4, p=[0.6, 0.3, 0.1]), minlength=3) for _ in range(50)]
    )
    assert fleiss_kappa(counts) == pytest.approx(sm_fleiss_kappa(counts, method="fleiss"))


def test_fleiss_kappa_of_grouped_count_patterns_matches_statsmodels_on_the_expanded_rows():
    rng = np.random.default_rng(5)
    counts = np.array(
        [np.bincount(rng.choice(3, 5, p=[0.5, 0.3, 0.2]), minlength=3) for _ in range(200)]
    )
    patterns, multiplicity = np.unique(counts, axis=0, return_counts=True)
    assert len(patterns) < len(counts)
    expected = sm_fleiss_kappa(counts, method="fleiss")
    assert fleiss_kappa(patterns, multiplicity) == pytest.approx(expected)
    assert fleiss_kappa(patterns, np.append(multiplicity[:-1], 0)) == pytest.approx(
        sm_fleiss_kappa(np.repeat(patterns[:-1], multiplicity[:-1], axis=0), method="fleiss")
    )
    with pytest.raises(ValueError):
        fleiss_kappa([[2, 0], [1, 2]])
    assert math.isnan(fleiss_kappa([[1, 0], [0, 1]], [3, 4]))  # one rating each: nothing to compare


def test_krippendorff_alpha_matches_the_package_with_missing_ratings():
    rng = np.random.default_rng(2)
    truth = rng.integers(0, 3, 60)
    data = np.array(
        [np.where(rng.random(60) < 0.8, truth, rng.integers(0, 3, 60)) for _ in range(3)], float
    )
    data[rng.random(data.shape) < 0.2] = np.nan
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    assert krippendorff_alpha_nominal(data) == pytest.approx(expected)


def test_krippendorff_alpha_from_counts_matches_the_package_with_missing_ratings_and_groups():
    """Items rated by 0 to 4 raters; grouped count patterns give the alpha of the expanded rows."""
    rng = np.random.default_rng(6)
    truth = rng.integers(0, 3, 300)
    data = np.array(
        [np.where(rng.random(300) < 0.7, truth, rng.integers(0, 3, 300)) for _ in range(4)], float
    )
    data[rng.random(data.shape) < 0.35] = np.nan
    counts = np.stack([(data == k).sum(axis=0) for k in range(3)], axis=1)
    assert set(counts.sum(axis=1)) >= {0, 1, 2, 3, 4}
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    assert krippendorff_alpha_from_counts(counts) == pytest.approx(expected)
    assert krippendorff_alpha_nominal(data) == pytest.approx(expected)
    patterns, multiplicity = np.unique(counts, axis=0, return_counts=True)
    assert krippendorff_alpha_from_counts(patterns, multiplicity) == pytest.approx(expected)
    repeated = np.repeat(patterns, multiplicity * 2, axis=0)  # every item twice
    assert krippendorff_alpha_from_counts(patterns, multiplicity * 2) == pytest.approx(
        krippendorff.alpha(value_counts=repeated, level_of_measurement="nominal")
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


def test_position_bias_compares_stuck_and_free_agreement():
    bias = position_bias(1000, 200, 40, 80, 240, 300)
    assert bias.stuck_share == wilson_interval(200, 1000)
    assert bias.agreement_stuck == wilson_interval(40, 80)
    assert bias.agreement_free == wilson_interval(240, 300)
    assert bias.difference == two_proportion_test(240, 300, 40, 80)
    assert bias.difference.difference == pytest.approx(0.5 - 0.8)
    assert bias.difference.high < 0 and bias.difference.p_value < 0.001


def test_calibration_of_a_calibrated_and_an_overconfident_critic():
    rng = np.random.default_rng(3)
    confidence = rng.uniform(0.5, 1.0, 20000)
    calibrated = rng.random(20000) < confidence
    overconfident = rng.random(20000) < confidence - 0.2
    assert expected_calibration_error(confidence, calibrated) < 0.02
    assert expected_calibration_error(confidence, overconfident) == pytest.approx(0.2, abs=0.02)
    bins = reliability_bins(confidence, calibrated)
    assert sum(b.count for b in bins) == 20000 and bins[0].count == 0  # nothing below 0.1


def test_calibration_bins_are_right_closed_like_the_sql_ceil_rule():
    """bin = clip(ceil(c * 10) - 1, 0, 9): 0 and 0.1 in the first bin, 1 (and above) in the last."""
    confidence = np.array([0.0, 0.05, 0.1, 0.1000001, 0.5, 0.95, 1.0, 1.2, -0.1])
    assert calibration_bin(confidence).tolist() == [0, 0, 0, 1, 4, 9, 9, 9, 0]
    bins = reliability_bins(confidence, np.ones(len(confidence)))
    assert [b.count for b in bins] == [4, 1, 0, 0, 1, 0, 0, 0, 0, 3]
    assert (bins[4].low, bins[4].high) == (0.4, 0.5)


def test_calibration_from_bin_sums_equals_the_row_level_functions():
    rng = np.random.default_rng(7)
    confidence = rng.beta(5, 2, 3000)
    correct = rng.random(3000) < confidence - 0.1
    which = calibration_bin(confidence)
    bins, ece = calibration_from_bins(
        np.bincount(which, minlength=10),
        np.bincount(which, weights=confidence, minlength=10),
        np.bincount(which, weights=correct, minlength=10),
    )
    np.testing.assert_equal(
        [astuple(b) for b in bins], [astuple(b) for b in reliability_bins(confidence, correct)]
    )
    assert ece == pytest.approx(expected_calibration_error(confidence, correct))
    manual = sum(
        (which == b).sum() / 3000 * abs(confidence[which == b].mean() - correct[which == b].mean())
        for b in range(10)
        if (which == b).any()
    )
    assert ece == pytest.approx(manual)


def test_horvitz_thompson_from_sums_equals_the_row_level_estimate():
    rng = np.random.default_rng(8)
    pi = rng.uniform(0.02, 0.5, 400)
    errors = (rng.random(400) < 0.2).astype(float)
    rows = horvitz_thompson_rate(errors, pi, 5000)
    sums = horvitz_thompson_from_sums(
        400, float((errors / pi).sum()), float((errors / pi**2).sum()), 5000
    )
    assert sums.n == rows.n
    assert (sums.value, sums.low, sums.high) == pytest.approx(
        (rows.value, rows.low, rows.high), rel=1e-12
    )
    draws = errors / (pi / 400)  # the original per-unit formula for the variance
    half = 1.959963984540054 * np.sqrt(((draws - draws.mean()) ** 2).sum() / (400 * 399)) / 5000
    assert (rows.low, rows.high) == pytest.approx((rows.value - half, rows.value + half))


def test_hajek_rate_equals_its_sums_form_and_the_linearised_variance():
    rng = np.random.default_rng(9)
    pi = rng.uniform(0.05, 0.6, 250)
    y = (rng.random(250) < 0.3).astype(float)
    w = 1 / pi
    estimate = hajek_rate(y, pi)
    assert estimate == hajek_rate_from_sums(250, w.sum(), w @ y, (w * w) @ y, w @ w)
    rate = (w @ y) / w.sum()
    variance = 250 / 249 * (w * w * (y - rate) ** 2).sum() / w.sum() ** 2
    half = 1.959963984540054 * np.sqrt(variance)
    assert (estimate.value, estimate.low, estimate.high) == pytest.approx(
        (rate, rate - half, rate + half)
    )
    # With equal weights it is the sample proportion with the usual s^2 / n variance.
    equal = hajek_rate(y, np.full(250, 0.1))
    assert equal.value == pytest.approx(y.mean())
    assert equal.high - equal.value == pytest.approx(1.959963984540054 * y.std(ddof=1) / 250**0.5)


def test_hajek_interval_covers_a_subgroup_rate_under_pps_sampling():
    """1000 seeded PPS samples; the subgroup (strata 2 and 3) holds about half of each sample."""
    population = synthetic_population(5000, seed=4)
    subgroup = population.strata >= 2
    truth = population.errors[subgroup].mean()
    covered, estimates, standard_errors = 0, [], []
    for seed in range(1000):
        sample = pps(population.uncertainty, 300, seed=seed, floor=0.2)
        inside = subgroup[sample.index]
        estimate = hajek_rate(
            population.errors[sample.index][inside], sample.inclusion_probability[inside]
        )
        covered += estimate.low <= truth <= estimate.high
        estimates.append(estimate.value)
        standard_errors.append((estimate.high - estimate.low) / 2 / 1.959963984540054)
    assert 0.93 <= covered / 1000 <= 0.97
    assert abs(np.mean(estimates) - truth) < 3 * np.std(estimates) / np.sqrt(1000)
    # The linearised standard error tracks the spread of the estimate across samples.
    assert np.mean(standard_errors) == pytest.approx(np.std(estimates), rel=0.1)


def test_empty_input_gives_nan_and_uninformative_intervals():
    nan = math.isnan
    assert nan(cohen_kappa_from_matrix(np.zeros((3, 3))))
    assert nan(cohen_kappa_from_matrix(np.zeros((0, 0))))
    assert all(map(nan, kappa_interval_from_matrix(np.zeros((3, 3)))))
    assert kappa_estimate_from_matrix(np.zeros((2, 2))).n == 0
    assert nan(cohen_kappa_estimate([], [], LABELS).value)
    assert nan(fleiss_kappa(np.zeros((0, 3)))) and nan(fleiss_kappa([[2, 1]], [0]))
    assert nan(krippendorff_alpha_from_counts(np.zeros((0, 3))))
    assert nan(krippendorff_alpha_from_counts([[1, 0], [0, 1]]))  # nothing pairable
    assert nan(krippendorff_alpha_nominal(np.full((3, 4), np.nan)))
    assert nan(krippendorff_alpha_nominal([]))
    bins, ece = calibration_from_bins(np.zeros(10), np.zeros(10), np.zeros(10))
    assert nan(ece) and all(b.count == 0 and nan(b.mean_confidence) for b in bins)
    assert nan(expected_calibration_error([], [])) and len(reliability_bins([], [])) == 10
    for estimate in (
        horvitz_thompson_from_sums(0, 0.0, 0.0, 100),
        horvitz_thompson_rate([], [], 100),
        hajek_rate_from_sums(0, 0.0, 0.0, 0.0, 0.0),
        hajek_rate([], []),
    ):
        assert nan(estimate.value) and (estimate.low, estimate.high) == (0.0, 1.0)
    assert (hajek_rate([1.0], [0.5]).low, hajek_rate([1.0], [0.5]).high) == (0.0, 1.0)
    bias = position_bias(0, 0, 0, 0, 0, 0)
    assert nan(bias.stuck_share.value) and nan(bias.difference.p_value)


@pytest.mark.parametrize("design", ["uncertainty", "hybrid"])
def test_weighted_interval_covers_the_true_error_rate_where_the_plain_mean_is_biased(design):
    """200 seeded repetitions on a population whose errors concentrate where the AI is unsure."""
    result = coverage_simulation(design, reps=200, seed=4, size=5000, n=300)
    assert result.coverage >= 0.93
    # The unweighted mean is biased upward, beyond its Monte Carlo noise; the weighted one is not.
    assert result.unweighted_bias > 4 * result.unweighted_bias_se
    assert abs(result.weighted_bias) < result.unweighted_bias / 2
    assert len(result.stratum_rates) == 4
    assert result.stratum_rates == tuple(sorted(result.stratum_rates))  # base rates rise by stratum
