"""Agreement statistics cross-checked against scikit-learn, statsmodels and `krippendorff`."""

import math

import krippendorff
import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score
from sklearn.metrics import confusion_matrix as sk_confusion_matrix
from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss_kappa

from stats.agreement import (
    bootstrap_interval,
    cohen_kappa,
    cohen_kappa_estimate,
    cohen_kappa_from_matrix,
    confusion_matrix,
    fleiss_kappa,
    kappa_estimate_from_matrix,
    kappa_interval_from_matrix,
    krippendorff_alpha_from_counts,
    krippendorff_alpha_nominal,
    position_bias,
)
from stats.proportions import two_proportion_test, wilson_interval

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


def test_position_bias_compares_stuck_and_free_agreement():
    bias = position_bias(1000, 200, 40, 80, 240, 300)
    assert bias.stuck_share == wilson_interval(200, 1000)
    assert bias.agreement_stuck == wilson_interval(40, 80)
    assert bias.agreement_free == wilson_interval(240, 300)
    assert bias.difference == two_proportion_test(240, 300, 40, 80)
    assert bias.difference.difference == pytest.approx(0.5 - 0.8)
    assert bias.difference.high < 0 and bias.difference.p_value < 0.001


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
    bias = position_bias(0, 0, 0, 0, 0, 0)
    assert nan(bias.stuck_share.value) and nan(bias.difference.p_value)
