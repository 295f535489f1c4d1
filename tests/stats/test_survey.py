"""Horvitz-Thompson and Hajek estimators: sums forms, variances and coverage under PPS."""

import math

import numpy as np
import pytest

from bench.simulation import synthetic_population
from reviews.sampling import pps
from stats.survey import (
    hajek_rate,
    hajek_rate_from_sums,
    horvitz_thompson_from_sums,
    horvitz_thompson_rate,
)


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
    for estimate in (
        horvitz_thompson_from_sums(0, 0.0, 0.0, 100),
        horvitz_thompson_rate([], [], 100),
        hajek_rate_from_sums(0, 0.0, 0.0, 0.0, 0.0),
        hajek_rate([], []),
    ):
        assert nan(estimate.value) and (estimate.low, estimate.high) == (0.0, 1.0)
    assert (hajek_rate([1.0], [0.5]).low, hajek_rate([1.0], [0.5]).high) == (0.0, 1.0)
