"""The sampling designs: simple random, stratified, PPS and hybrid, each with its `*_probabilities`
twin that gives every unit's inclusion probability. Pure numpy."""

from dataclasses import dataclass

import numpy as np

from .allocation import Allocation, allocation_targets, round_systematically, seeded_generator


@dataclass(frozen=True)
class Sample:
    """Positions into the population arrays, and each one's inclusion probability."""

    index: np.ndarray  # int64 positions, ascending
    inclusion_probability: np.ndarray  # float64, same length, each in (0, 1]

    def __len__(self) -> int:
        return len(self.index)


def simple_random(population_size: int, n: int, *, seed: int) -> Sample:
    n = max(min(n, population_size), 0)
    chosen = np.sort(seeded_generator(seed).choice(population_size, size=n, replace=False))
    return Sample(chosen.astype(np.int64), np.full(n, n / population_size if n else 0.0))


# --- Stratified sampling ----------------------------------------------------------------------


def _strata_index(strata: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(stratum ids, each unit's position among them, stratum sizes). Strata that are already
    0..H-1 codes (as the population loader makes them) take an O(N) count instead of a sort."""
    strata = np.asarray(strata)
    if strata.dtype.kind in "iu" and (len(strata) == 0 or strata.min() >= 0):
        sizes = np.bincount(strata)
        present = np.flatnonzero(sizes)
        if len(present) == len(sizes):
            return present, strata.astype(np.int64), sizes
    ids, inverse, sizes = np.unique(strata, return_inverse=True, return_counts=True)
    return ids, inverse, sizes


def _stratified_targets(
    strata: np.ndarray,
    n: int,
    method: str,
    minimum: int,
    stratum_sd: dict | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(each unit's stratum position, stratum sizes, expected size per stratum)."""
    ids, inverse, sizes = _strata_index(strata)
    sd = None
    if method == "neyman":
        sd = np.array([(stratum_sd or {}).get(int(h), 0.5) for h in ids], dtype=float)
    targets = allocation_targets(sizes, n, method=method, minimum=minimum, stratum_sd=sd)
    return inverse, sizes, targets


def stratified_probabilities(
    strata: np.ndarray,
    n: int,
    *,
    method: Allocation = "proportional",
    minimum: int = 0,
    stratum_sd: dict[int, float] | None = None,
) -> np.ndarray:
    """Every unit's inclusion probability under `stratified`: t_h / N_h."""
    strata = np.asarray(strata)
    inverse, sizes, targets = _stratified_targets(strata, n, method, minimum, stratum_sd)
    return (targets / np.maximum(sizes, 1))[inverse] if len(inverse) else np.zeros(0)


def stratified(
    strata: np.ndarray,
    n: int,
    *,
    seed,
    method: Allocation = "proportional",
    minimum: int = 0,
    stratum_sd: dict[int, float] | None = None,
) -> Sample:
    """`strata` holds one integer stratum id per unit; `stratum_sd` maps a stratum id to its
    expected standard deviation (Neyman allocation; 0.5, the largest for a rate, if missing)."""
    strata = np.asarray(strata)
    inverse, sizes, targets = _stratified_targets(strata, n, method, minimum, stratum_sd)
    if not len(strata):
        return Sample(np.zeros(0, dtype=np.int64), np.zeros(0))
    rng = seeded_generator(seed)
    counts = round_systematically(targets, rng)
    # One random key per unit; the n_h smallest keys of each stratum are its sample (SRSWOR).
    keys = rng.random(len(strata))
    # Sort by stratum, then by key: one float sort (keys are in [0, 1)).
    order = np.argsort(inverse + keys, kind="quicksort")
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    rank = np.empty(len(strata), dtype=np.int64)
    rank[order] = np.arange(len(strata)) - np.repeat(starts, sizes)
    chosen = np.flatnonzero(rank < counts[inverse])
    pi = (targets / np.maximum(sizes, 1))[inverse[chosen]]
    return Sample(chosen.astype(np.int64), np.minimum(pi, 1.0).astype(float))


# --- Probability proportional to size ---------------------------------------------------------


def pps_probabilities(sizes: np.ndarray, n: int, *, floor: float = 0.0) -> np.ndarray:
    """Inclusion probabilities proportional to size, capped at 1, summing to min(n, N).

    `floor` is a fraction of the mean size added to every unit, so no unit's pi is zero (the
    exploration that keeps weighted estimates unbiased). With floor 0, units of size 0 get pi 0:
    `pps` refuses that, `hybrid` accepts it when its stratified part covers them.
    """
    sizes = np.asarray(sizes, dtype=float)
    if np.any(sizes < 0) or not np.all(np.isfinite(sizes)):
        raise ValueError("sizes must be finite and non-negative")
    if not np.isfinite(floor) or floor < 0:
        raise ValueError("the exploration floor must be a finite number, 0 or more")
    count = len(sizes)
    n = max(min(n, count), 0)
    if n == 0:
        return np.zeros(count)
    if n == count:
        return np.ones(count)
    mean = sizes.mean() if sizes.sum() > 0 else 1.0
    sizes = sizes + floor * mean
    if sizes.sum() == 0:
        sizes = np.ones(count)
    pi = np.zeros(count)
    certain = np.zeros(count, dtype=bool)
    while True:
        left = n - certain.sum()
        rest = ~certain
        if sizes[rest].sum() > 0:
            pi[rest] = left * sizes[rest] / sizes[rest].sum()
        else:  # only units of size 0 are left: the rest of the sample spreads evenly over them
            pi[rest] = left / max(rest.sum(), 1)
        newly = rest & (pi >= 1)
        if not newly.any():
            break
        certain |= newly
    pi[certain] = 1.0
    return pi


def _require_positive(pi: np.ndarray, n: int) -> None:
    never = int(np.count_nonzero(pi <= 0))
    if n > 0 and never:
        raise ValueError(
            f"{never} of {len(pi)} labels have a score (or weight) of 0 and the exploration floor "
            "is 0, so this design could never draw them and no weighted estimate would cover "
            "them: set a floor above 0."
        )


def _systematic(pi: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Systematic sampling over a random order (Madow 1949; Hartley & Rao 1962): unit i is
    drawn exactly when a point start + j falls in its interval of length pi_i, which happens with
    probability pi_i; the sample size is sum(pi), an integer here."""
    order = rng.permutation(len(pi))
    cumulative = np.cumsum(pi[order])
    size = int(round(cumulative[-1])) if len(pi) else 0
    if size == 0:
        return np.zeros(0, dtype=np.int64)
    cumulative *= size / cumulative[-1]
    points = rng.random() + np.arange(size)
    positions = np.minimum(np.searchsorted(cumulative, points, side="right"), len(pi) - 1)
    return np.sort(order[np.unique(positions)]).astype(np.int64)


def pps(sizes: np.ndarray, n: int, *, seed, floor: float = 0.1) -> Sample:
    """Systematic PPS over a random order: exactly min(n, N) units, each with its pi."""
    pi = pps_probabilities(sizes, n, floor=floor)
    _require_positive(pi, min(n, len(pi)))
    if not pi.any():
        return Sample(np.zeros(0, dtype=np.int64), np.zeros(0))
    chosen = _systematic(pi, seeded_generator(seed))
    return Sample(chosen, pi[chosen])


# --- Hybrid -----------------------------------------------------------------------------------


def _hybrid_parts(n: int, uncertainty_share: float) -> tuple[int, int]:
    if not 0 <= uncertainty_share <= 1:
        raise ValueError("uncertainty_share must be between 0 and 1")
    n_pps = round(n * uncertainty_share)
    return n_pps, n - n_pps


def hybrid_probabilities(
    sizes: np.ndarray,
    strata: np.ndarray,
    n: int,
    *,
    uncertainty_share: float = 0.5,
    floor: float = 0.1,
    method: Allocation = "proportional",
    minimum: int = 0,
    stratum_sd: dict[int, float] | None = None,
) -> np.ndarray:
    """Every unit's inclusion probability under `hybrid`: 1 - (1 - pi_pps)(1 - pi_stratified)."""
    n_pps, n_strat = _hybrid_parts(n, uncertainty_share)
    pi_pps = pps_probabilities(sizes, n_pps, floor=floor)
    if n_strat == 0:  # all by score: a minimum per stratum has nothing to apply to
        return pi_pps
    pi_strat = stratified_probabilities(
        strata, n_strat, method=method, minimum=minimum, stratum_sd=stratum_sd
    )
    return 1 - (1 - pi_pps) * (1 - pi_strat)


def hybrid(
    sizes: np.ndarray,
    strata: np.ndarray,
    n: int,
    *,
    seed,
    uncertainty_share: float = 0.5,
    floor: float = 0.1,
    method: Allocation = "proportional",
    minimum: int = 0,
    stratum_sd: dict[int, float] | None = None,
) -> Sample:
    """A PPS part and a stratified part, drawn independently (two streams spawned from the seed)
    and merged, overlap counted once: at most n units."""
    sizes, strata = np.asarray(sizes, dtype=float), np.asarray(strata)
    if len(sizes) != len(strata):
        raise ValueError("sizes and strata must have one entry per unit")
    n_pps, n_strat = _hybrid_parts(n, uncertainty_share)
    pi = hybrid_probabilities(
        sizes, strata, n, uncertainty_share=uncertainty_share, floor=floor, method=method,
        minimum=minimum, stratum_sd=stratum_sd,
    )  # fmt: skip
    _require_positive(pi, min(n, len(pi)))
    score_stream, stratum_stream = np.random.SeedSequence(seed).spawn(2)
    pi_pps = pps_probabilities(sizes, n_pps, floor=floor)
    by_score = np.zeros(0, np.int64)
    if pi_pps.any():
        by_score = _systematic(pi_pps, seeded_generator(score_stream))
    by_stratum = np.zeros(0, np.int64)
    if n_strat:
        by_stratum = stratified(
            strata, n_strat, seed=stratum_stream, method=method, minimum=minimum,
            stratum_sd=stratum_sd,
        ).index  # fmt: skip
    chosen = np.union1d(by_score, by_stratum).astype(np.int64)
    return Sample(chosen, np.minimum(pi[chosen], 1.0))
