"""Inclusion probabilities of every design, checked by simulation against the stated pi."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reviews.sampling import (
    allocate,
    allocation_targets,
    hybrid,
    pps,
    pps_probabilities,
    simple_random,
    stratified,
)
from stats import horvitz_thompson_rate

DRAWS = 4000


def empirical_inclusion(draw, population: int) -> tuple[np.ndarray, np.ndarray]:
    """Share of draws that picked each unit, and the pi the design stated for it."""
    hits = np.zeros(population)
    stated = np.full(population, np.nan)
    for seed in range(DRAWS):
        sample = draw(seed)
        hits[sample.index] += 1
        stated[sample.index] = sample.inclusion_probability
    return hits / DRAWS, stated


def assert_matches(empirical, stated):
    # Binomial standard error at 4000 draws is at most 0.008; allow 4.5 of them.
    assert np.nanmax(np.abs(empirical - stated)) < 0.036


def test_simple_random():
    sample = simple_random(20, 5, seed=1)
    assert len(sample) == 5 and np.allclose(sample.inclusion_probability, 0.25)
    assert_matches(*empirical_inclusion(lambda s: simple_random(20, 5, seed=s), 20))


def test_stratified_inclusion_is_the_expected_allocation_over_the_stratum_size():
    """Proportional targets 6 x (10, 4, 6) / 20 = (3, 1.2, 1.8): each stratum gets the floor or
    the ceiling of its target, and every unit's pi is target / N_h = 0.3."""
    strata = np.array([0] * 10 + [1] * 4 + [2] * 6)
    sample = stratified(strata, 6, seed=0, method="proportional", minimum=1)
    per_stratum = np.bincount(strata[sample.index], minlength=3)
    assert per_stratum[0] == 3 and per_stratum[1] in (1, 2) and per_stratum[2] in (1, 2)
    assert per_stratum.sum() == 6
    assert np.allclose(sample.inclusion_probability, 0.3)
    assert_matches(*empirical_inclusion(lambda s: stratified(strata, 6, seed=s), 20))


@pytest.mark.parametrize(
    "method, minimum, expected",
    [
        ("proportional", 0, [6, 3, 1]),
        ("equal", 0, [10 / 3] * 3),
        ("proportional", 2, [16 / 3, 8 / 3, 2]),
    ],
)
def test_allocation_targets(method, minimum, expected):
    targets = allocation_targets(np.array([60, 30, 10]), 10, method=method, minimum=minimum)
    assert targets == pytest.approx(expected)


def test_allocation_rounds_each_target_to_its_floor_or_ceiling():
    for seed in range(50):
        counts = allocate(np.array([60, 30, 10]), 10, seed=seed, minimum=2)
        assert counts.sum() == 10 and counts.tolist() in ([5, 3, 2], [6, 2, 2])


def test_neyman_allocation_favours_variable_strata():
    targets = allocation_targets(
        np.array([50, 50]), 10, method="neyman", stratum_sd=np.array([0.1, 0.4])
    )
    assert targets.tolist() == [2, 8]


def test_allocation_never_exceeds_a_stratum_and_refuses_impossible_minimums():
    assert allocation_targets(np.array([2, 100]), 50, method="equal").tolist() == [2, 48]
    with pytest.raises(ValueError, match="minimum"):
        allocate(np.array([5, 5, 5]), 4, seed=0, minimum=2)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(min_value=1, max_value=40), min_size=1, max_size=8),
    st.integers(min_value=0, max_value=100),
    st.sampled_from(["proportional", "equal"]),
    st.integers(min_value=0, max_value=2**32 - 1),
)
def test_allocation_sums_to_n_and_fits(sizes, n, method, seed):
    sizes = np.array(sizes)
    counts = allocate(sizes, n, seed=seed, method=method)
    assert counts.sum() == min(n, sizes.sum())
    assert np.all(counts <= sizes) and np.all(counts >= 0)


def test_pps_probabilities_are_proportional_capped_and_floored():
    pi = pps_probabilities(np.array([0.0, 1.0, 1.0, 2.0, 100.0]), 3, floor=0.0)
    assert pi[4] == 1.0 and pi[0] == 0.0
    assert np.allclose(pi[1:4], [0.5, 0.5, 1.0])
    floored = pps_probabilities(np.array([0.0, 1.0, 1.0, 2.0]), 2, floor=0.1)
    assert floored.min() > 0 and np.isclose(floored.sum(), 2)


def test_pps_draws_match_their_inclusion_probabilities():
    sizes = np.array([0.05, 0.1, 0.2, 0.4, 0.8, 0.9, 0.95, 0.99, 0.3, 0.0, 0.6, 0.7])
    sample = pps(sizes, 5, seed=3, floor=0.1)
    assert len(sample) == 5
    assert_matches(*empirical_inclusion(lambda s: pps(sizes, 5, seed=s, floor=0.1), len(sizes)))


def test_hybrid_inclusion_combines_both_designs():
    rng = np.random.default_rng(0)
    sizes = rng.random(24) ** 3
    strata = np.repeat([0, 1, 2], 8)
    draw = lambda s: hybrid(sizes, strata, 8, seed=s, uncertainty_share=0.5)  # noqa: E731
    assert_matches(*empirical_inclusion(draw, 24))


def test_draws_are_reproducible_from_the_seed():
    sizes = np.linspace(0, 1, 50)
    assert np.array_equal(pps(sizes, 10, seed=7).index, pps(sizes, 10, seed=7).index)
    assert not np.array_equal(pps(sizes, 10, seed=7).index, pps(sizes, 10, seed=8).index)


def test_weighted_estimate_is_unbiased_where_the_plain_mean_is_not():
    """Errors concentrate where the judge is uncertain; sampling by uncertainty finds them, and
    1/pi weighting brings the estimate back to the true population rate."""
    rng = np.random.default_rng(1)
    uncertainty = rng.random(400)
    errors = (rng.random(400) < 0.05 + 0.5 * uncertainty).astype(float)
    truth = errors.mean()
    weighted, plain = [], []
    for seed in range(1500):
        sample = pps(uncertainty, 40, seed=seed, floor=0.2)
        weighted.append(
            horvitz_thompson_rate(errors[sample.index], sample.inclusion_probability, 400).value
        )
        plain.append(errors[sample.index].mean())
    assert abs(np.mean(weighted) - truth) < 0.01
    assert np.mean(plain) - truth > 0.05  # the unweighted estimate overstates the error rate
