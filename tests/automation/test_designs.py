"""Poisson sampling by hash: pi = p exactly, reproducible, and Horvitz-Thompson unbiased."""

from datetime import UTC, datetime

import numpy as np
import pytest

from automation.designs import poisson_pick, poisson_unit, window_start, windows_between


def test_poisson_unit_is_reproducible_and_uniform():
    units = np.array([poisson_unit(7, "preference", i) for i in range(20_000)])
    assert units.min() >= 0 and units.max() < 1
    assert poisson_unit(7, "preference", 5) == poisson_unit(7, "preference", 5)
    assert poisson_unit(7, "preference", 5) != poisson_unit(8, "preference", 5)
    # Uniform: each tenth of [0, 1) holds about a tenth of the units.
    counts, _ = np.histogram(units, bins=10, range=(0, 1))
    assert np.all(np.abs(counts - 2000) < 4 * np.sqrt(20_000 * 0.1 * 0.9))


def test_poisson_pick_is_the_same_whatever_the_batches():
    ids = list(range(1, 1001))
    whole = poisson_pick(3, "critique", ids, 0.2)
    batched = [
        i
        for start in range(0, 1000, 37)
        for i in poisson_pick(3, "critique", ids[start : start + 37], 0.2)
    ]
    assert whole == batched
    assert poisson_pick(3, "critique", ids, 1.0) == ids
    with pytest.raises(ValueError):
        poisson_pick(3, "critique", ids, 0.0)


def test_horvitz_thompson_estimates_are_unbiased_over_seeds():
    """Over many rule seeds, sum(1/p) estimates the population count and sum(y/p)/N_hat its
    mean; the average of the estimates is within a few standard errors of the truth."""
    rng = np.random.default_rng(0)
    population, rate = 3000, 0.05
    errors = rng.random(population) < 0.2  # the AI is wrong on about a fifth of the labels
    counts, totals = [], []
    for seed in range(300):
        picked = np.array(poisson_pick(seed, "preference", range(population), rate), dtype=int)
        counts.append(len(picked) / rate)
        totals.append(errors[picked].sum() / rate)
    counts, totals = np.array(counts), np.array(totals)
    se_count = np.sqrt(population * (1 - rate) / rate) / np.sqrt(len(counts))
    assert abs(counts.mean() - population) < 4 * se_count
    se_total = totals.std(ddof=1) / np.sqrt(len(totals))
    assert abs(totals.mean() - errors.sum()) < 4 * se_total
    ratio = totals.sum() / counts.sum()
    assert abs(ratio - errors.mean()) < 0.01


def test_windows():
    moment = datetime(2026, 12, 3, 16, 45, tzinfo=UTC)  # a Thursday
    assert window_start(moment, "hour") == datetime(2026, 12, 3, 16, tzinfo=UTC)
    assert window_start(moment, "day") == datetime(2026, 12, 3, tzinfo=UTC)
    assert window_start(moment, "week") == datetime(2026, 11, 30, tzinfo=UTC)
    hours = windows_between(datetime(2026, 12, 3, 13, tzinfo=UTC), moment, "hour")
    assert [start.hour for start, _ in hours] == [13, 14, 15]
