"""Every design's recorded inclusion probability is the true one, and positive for every unit.

Each check draws thousands of samples (pure functions, seeds 0..DRAWS-1) and compares every
unit's selection frequency with the pi its design states for it, within 4.5 binomial standard
errors, and checks that Horvitz-Thompson estimates a known total without bias: the mean of
sum(1/pi) over the draws is the population size N. Edge cases included: more strata than the
sample size, strata of one unit, n >= N, scores of 0, one stratum, n = 1.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reviews.sampling import (
    allocate,
    allocation_targets,
    hybrid,
    hybrid_probabilities,
    pps,
    pps_probabilities,
    simple_random,
    stratified,
    stratified_probabilities,
)

DRAWS = 4000
TOLERANCE_SE = 4.5


def check_design(draw, pi: np.ndarray, *, draws: int = DRAWS) -> np.ndarray:
    """Draw `draws` samples; assert each records the design's pi, that every unit's frequency
    matches its pi, and that sum(1/pi) is unbiased for N. Returns the frequencies."""
    population = len(pi)
    assert np.all(pi > 0) and np.all(pi <= 1), "every unit needs a known, non-zero pi"
    hits = np.zeros(population)
    totals = np.empty(draws)
    for seed in range(draws):
        sample = draw(seed)
        assert np.all(np.diff(sample.index) > 0), "positions ascending, each unit at most once"
        assert np.allclose(sample.inclusion_probability, pi[sample.index], rtol=1e-12)
        hits[sample.index] += 1
        totals[seed] = (1.0 / sample.inclusion_probability).sum()
    frequency = hits / draws
    standard_error = np.sqrt(pi * (1 - pi) / draws)
    off = np.abs(frequency - pi) - (TOLERANCE_SE * standard_error + 1e-9)
    worst = int(np.argmax(off))
    assert off[worst] <= 0, (
        f"unit {worst}: drawn in {frequency[worst]:.4f} of draws, stated pi {pi[worst]:.4f}"
    )
    ht_error = TOLERANCE_SE * totals.std(ddof=1) / np.sqrt(draws) + 1e-6 * population
    assert abs(totals.mean() - population) <= ht_error, (totals.mean(), population)
    return frequency


def test_more_strata_than_the_sample_size_still_draws_every_stratum():
    """The finding: 100 labels in 20 strata of 5, n = 10. Every stratum has pi = 0.5 / 5 and
    sum(1/pi) is 100 in every draw (it was 50, and strata 10-19 were never drawn)."""
    strata = np.repeat(np.arange(20), 5)
    pi = stratified_probabilities(strata, 10)
    assert np.allclose(pi, 0.1)
    frequency = check_design(lambda seed: stratified(strata, 10, seed=seed), pi)
    assert np.all(np.bincount(strata, weights=frequency) > 0)
    for seed in range(50):
        sample = stratified(strata, 10, seed=seed)
        assert len(sample) == 10 and (1 / sample.inclusion_probability).sum() == pytest.approx(100)


STRATIFIED_CASES = {
    "proportional, uneven strata": ([0] * 10 + [1] * 4 + [2] * 6, 6, "proportional", 0, None),
    "strata of one unit": ([0, 1, 2, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4], 3, "proportional", 0, None),
    "equal, more strata than n": (np.repeat(np.arange(12), [1, 2, 3] * 4), 5, "equal", 0, None),
    "equal with a full stratum": ([0, 0] + [1] * 30, 10, "equal", 0, None),
    "minimum per stratum": ([0] * 30 + [1] * 3 + [2] * 7, 8, "proportional", 2, None),
    "equal with a minimum": ([0] * 30 + [1] * 3 + [2] * 7, 8, "equal", 2, None),
    "neyman": ([0] * 20 + [1] * 20 + [2] * 5, 9, "neyman", 0, {0: 0.1, 1: 0.45, 2: 0.3}),
    "neyman, a constant stratum": ([0] * 20 + [1] * 20, 6, "neyman", 0, {0: 0.0, 1: 0.5}),
    "neyman with a minimum": ([0] * 20 + [1] * 20 + [2] * 5, 9, "neyman", 1, {1: 0.05}),
    "one stratum": ([7] * 15, 4, "proportional", 0, None),
    "n = 1 over many strata": (np.repeat(np.arange(9), 3), 1, "proportional", 0, None),
    "n >= N": ([0, 0, 1, 2, 2, 2], 10, "equal", 1, None),
    "ids not 0..H-1": ([40, 40, 3, 3, 3, 900, 900, 900, 900, 900], 3, "equal", 0, None),
}


@pytest.mark.parametrize("case", STRATIFIED_CASES, ids=list(STRATIFIED_CASES))
def test_stratified_frequencies_match_the_recorded_probabilities(case):
    strata, n, method, minimum, sd = STRATIFIED_CASES[case]
    strata = np.asarray(strata)
    options = dict(method=method, minimum=minimum, stratum_sd=sd)
    pi = stratified_probabilities(strata, n, **options)
    assert pi.sum() == pytest.approx(min(n, len(strata)))
    check_design(lambda seed: stratified(strata, n, seed=seed, **options), pi)


def test_allocation_is_right_on_average_and_keeps_its_promises():
    """E[n_h] equals the fractional target; each draw meets the minimum and the stratum size."""
    sizes = np.array([1, 2, 3, 40, 7, 7, 1])
    targets = allocation_targets(sizes, 9, method="equal", minimum=1)
    counts = np.array([allocate(sizes, 9, seed=s, method="equal", minimum=1) for s in range(3000)])
    assert np.all(counts.sum(axis=1) == 9)
    assert np.all(counts >= 1) and np.all(counts <= sizes)
    assert np.all((counts == np.floor(targets)) | (counts == np.ceil(targets)))
    standard_error = np.sqrt(np.maximum(counts.var(axis=0), 1e-12) / len(counts))
    assert np.all(np.abs(counts.mean(axis=0) - targets) <= TOLERANCE_SE * standard_error + 1e-9)


def test_simple_random_frequencies_match_including_n_of_one_and_n_beyond_n():
    check_design(lambda seed: simple_random(20, 5, seed=seed), np.full(20, 0.25))
    check_design(lambda seed: simple_random(7, 1, seed=seed), np.full(7, 1 / 7))
    sample = simple_random(6, 10, seed=0)
    assert sample.index.tolist() == list(range(6)) and np.all(sample.inclusion_probability == 1)


PPS_CASES = {
    "scores with a floor": ([0.05, 0.1, 0.2, 0.4, 0.8, 0.9, 0.3, 0.0, 0.6, 0.7], 4, 0.1),
    "scores of 0 lifted by the floor": ([0.0] * 6 + [1.0, 2.0, 3.0], 3, 0.2),
    "all scores 0": ([0.0] * 8, 3, 0.0),
    "a unit taken with certainty": ([100.0, 1.0, 1.0, 2.0, 3.0, 0.5], 3, 0.0),
    "n = 1": ([0.1, 0.5, 0.9, 0.2], 1, 0.1),
    "n >= N": ([0.1, 0.0, 0.3], 5, 0.0),
}


@pytest.mark.parametrize("case", PPS_CASES, ids=list(PPS_CASES))
def test_pps_frequencies_match_the_recorded_probabilities(case):
    sizes, n, floor = PPS_CASES[case]
    sizes = np.asarray(sizes)
    pi = pps_probabilities(sizes, n, floor=floor)
    assert pi.sum() == pytest.approx(min(n, len(sizes)))
    check_design(lambda seed: pps(sizes, n, seed=seed, floor=floor), pi)


def test_pps_refuses_scores_of_0_without_a_floor():
    """With floor 0 a label of score (or weight) 0 could never be drawn: no known pi > 0."""
    with pytest.raises(ValueError, match="2 of 5 labels .* set a floor above 0"):
        pps(np.array([0.0, 0.5, 0.0, 1.0, 2.0]), 2, seed=0, floor=0.0)
    with pytest.raises(ValueError, match="floor"):
        pps(np.array([0.5, 1.0]), 1, seed=0, floor=float("nan"))


RNG = np.random.default_rng(0)
HYBRID_CASES = {
    "half and half": (RNG.random(24) ** 3, np.repeat([0, 1, 2], 8), 8, 0.5, 0.1, {}),
    "scores of 0, no floor: strata cover them": (
        np.array([0.0] * 8 + [1.0, 0.5, 0.2, 0.9]), np.repeat([0, 1, 2], 4), 4, 0.5, 0.0, {},
    ),
    "more strata than its share": (
        RNG.random(30), np.repeat(np.arange(15), 2), 6, 0.5, 0.1, {"method": "equal"},
    ),
    "neyman share": (
        RNG.random(20), np.repeat([0, 1], 10), 6, 0.3, 0.1,
        {"method": "neyman", "stratum_sd": {0: 0.1, 1: 0.5}},
    ),
    "all by score": (RNG.random(12), np.repeat([0, 1, 2], 4), 4, 1.0, 0.1, {"minimum": 1}),
    "all by stratum": (RNG.random(12), np.repeat([0, 1, 2], 4), 4, 0.0, 0.1, {"minimum": 1}),
    "n = 1": (RNG.random(9), np.repeat([0, 1, 2], 3), 1, 0.5, 0.1, {}),
}  # fmt: skip


@pytest.mark.parametrize("case", HYBRID_CASES, ids=list(HYBRID_CASES))
def test_hybrid_frequencies_match_the_recorded_probabilities(case):
    sizes, strata, n, share, floor, options = HYBRID_CASES[case]
    options = dict(uncertainty_share=share, floor=floor, **options)
    pi = hybrid_probabilities(sizes, strata, n, **options)
    check_design(lambda seed: hybrid(sizes, strata, n, seed=seed, **options), pi)


def test_hybrid_refuses_a_design_that_leaves_a_label_at_zero():
    with pytest.raises(ValueError, match="set a floor above 0"):
        hybrid(np.array([0.0, 1.0, 0.0, 1.0]), np.array([0, 0, 1, 1]), 2, seed=0,
               uncertainty_share=1.0, floor=0.0)  # fmt: skip


@settings(max_examples=15, deadline=None)
@given(
    sizes=st.lists(st.integers(min_value=1, max_value=6), min_size=1, max_size=10),
    n=st.integers(min_value=1, max_value=12),
    method=st.sampled_from(["proportional", "equal", "neyman"]),
    minimum=st.integers(min_value=0, max_value=1),
)
def test_any_stratified_design_states_the_true_probabilities(sizes, n, method, minimum):
    strata = np.repeat(np.arange(len(sizes)), sizes)
    if minimum * len(sizes) > min(n, len(strata)):
        with pytest.raises(ValueError, match="minimum"):
            stratified_probabilities(strata, n, method=method, minimum=minimum)
        return
    sd = {h: 0.1 + 0.4 * (h % 3) / 2 for h in range(len(sizes))}
    options = dict(method=method, minimum=minimum, stratum_sd=sd)
    pi = stratified_probabilities(strata, n, **options)
    assert pi.sum() == pytest.approx(min(n, len(strata)))
    check_design(lambda seed: stratified(strata, n, seed=seed, **options), pi, draws=1500)


@settings(max_examples=40, deadline=None)
@given(
    scores=st.lists(st.floats(min_value=0, max_value=10), min_size=1, max_size=30),
    n=st.integers(min_value=1, max_value=40),
    floor=st.floats(min_value=0.01, max_value=2),
    seed=st.integers(min_value=0, max_value=2**32 - 1),
)
def test_any_pps_draw_has_its_fixed_size_and_positive_probabilities(scores, n, floor, seed):
    scores = np.array(scores)
    pi = pps_probabilities(scores, n, floor=floor)
    assert np.all(pi > 0) and np.all(pi <= 1) and pi.sum() == pytest.approx(min(n, len(scores)))
    sample = pps(scores, n, seed=seed, floor=floor)
    assert len(sample) == min(n, len(scores))
    assert np.array_equal(sample.inclusion_probability, pi[sample.index])
