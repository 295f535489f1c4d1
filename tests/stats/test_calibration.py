"""Reliability bins and expected calibration error, row-level and from per-bin sums."""

import math
from dataclasses import astuple

import numpy as np
import pytest

from stats.calibration import (
    calibration_bin,
    calibration_from_bins,
    expected_calibration_error,
    reliability_bins,
)


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


def test_empty_input_gives_nan_and_empty_bins():
    nan = math.isnan
    bins, ece = calibration_from_bins(np.zeros(10), np.zeros(10), np.zeros(10))
    assert nan(ece) and all(b.count == 0 and nan(b.mean_confidence) for b in bins)
    assert nan(expected_calibration_error([], [])) and len(reliability_bins([], [])) == 10
