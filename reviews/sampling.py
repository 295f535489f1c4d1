"""Sampling designs for human spot checks, with exact inclusion probabilities. Pure numpy.

Every design returns, for each sampled unit, its inclusion probability pi (the chance the design
had of picking it). Weighting each reviewed label by 1/pi (Horvitz-Thompson) gives unbiased
population estimates even when the sample favours uncertain or high-stakes labels, which is why no
design here is a plain top-k: every unit's pi is positive.

Designs:
- `simple_random`: n of N without replacement, pi = n/N.
- `stratified`: fixed n_h per stratum (proportional, equal or Neyman allocation with a minimum),
  simple random within each stratum, pi = n_h/N_h.
- `pps`: probability proportional to size (a score or an oversampling weight) with a floor, by
  systematic sampling over a random order: fixed size, pi = n*size/sum(size) (capped at 1).
- `hybrid`: a PPS share (to find errors) and a stratified share (to estimate error rates) drawn
  independently and merged; pi = 1 - (1 - pi_1)(1 - pi_2).
"""

from dataclasses import dataclass
from typing import Literal

import numpy as np

Allocation = Literal["proportional", "equal", "neyman"]


@dataclass(frozen=True)
class Sample:
    """Positions into the population arrays, and each one's inclusion probability."""

    index: np.ndarray  # int64 positions, ascending
    inclusion_probability: np.ndarray  # float64, same length, each in (0, 1]

    def __len__(self) -> int:
        return len(self.index)


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence(seed))


def simple_random(population_size: int, n: int, *, seed: int) -> Sample:
    n = min(n, population_size)
    chosen = np.sort(_rng(seed).choice(population_size, size=n, replace=False))
    return Sample(chosen.astype(np.int64), np.full(n, n / population_size if n else 0.0))


def allocate(
    stratum_sizes: np.ndarray,
    n: int,
    *,
    method: Allocation = "proportional",
    minimum: int = 0,
    stratum_sd: np.ndarray | None = None,
) -> np.ndarray:
    """Sample size per stratum: sums to min(n, N), each within [min(minimum, N_h), N_h].

    Neyman allocation gives stratum h a share proportional to N_h * S_h, where S_h is the expected
    standard deviation of what is estimated (for an error rate p_h, sqrt(p_h (1 - p_h))).
    """
    sizes = np.asarray(stratum_sizes, dtype=np.int64)
    total = int(min(n, sizes.sum()))
    if method == "proportional":
        weights = sizes.astype(float)
    elif method == "equal":
        weights = (sizes > 0).astype(float)
    elif method == "neyman":
        if stratum_sd is None:
            raise ValueError("Neyman allocation needs a standard deviation per stratum")
        weights = sizes * np.clip(np.asarray(stratum_sd, dtype=float), 1e-6, None)
    else:
        raise ValueError(f"unknown allocation {method!r}")
    floor = np.minimum(sizes, minimum)
    if floor.sum() > total:
        raise ValueError(
            f"a minimum of {minimum} per stratum needs {int(floor.sum())} labels, more than {total}"
        )
    if weights.sum() == 0:
        weights = (sizes > 0).astype(float)
    target = total * weights / weights.sum()
    counts = np.clip(np.floor(target).astype(np.int64), floor, sizes)
    # Minimums can push the sum over: take back from the strata furthest above their target.
    while counts.sum() > total:
        over = np.where(counts > floor, counts - target, -np.inf)
        counts[int(np.argmax(over))] -= 1
    # Rounding and full strata leave some over: give them to the strata furthest below target.
    while counts.sum() < total:
        under = np.where(counts < sizes, target - counts, -np.inf)
        counts[int(np.argmax(under))] += 1
    return counts


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


def stratified(
    strata: np.ndarray,
    n: int,
    *,
    seed: int,
    method: Allocation = "proportional",
    minimum: int = 0,
    stratum_sd: dict[int, float] | None = None,
) -> Sample:
    """`strata` holds one integer stratum id per unit."""
    strata = np.asarray(strata)
    ids, inverse, sizes = _strata_index(strata)
    sd = None
    if method == "neyman":
        sd = np.array([(stratum_sd or {}).get(int(h), 0.5) for h in ids])
    counts = allocate(sizes, n, method=method, minimum=minimum, stratum_sd=sd)
    rng = _rng(seed)
    # One random key per unit; the n_h smallest keys of each stratum are its sample (SRSWOR).
    keys = rng.random(len(strata))
    # Sort by stratum, then by key: one float sort (keys are in [0, 1)).
    order = np.argsort(inverse + keys, kind="quicksort")
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    rank = np.empty(len(strata), dtype=np.int64)
    rank[order] = np.arange(len(strata)) - np.repeat(starts, sizes)
    chosen = np.flatnonzero(rank < counts[inverse])
    pi = (counts / np.maximum(sizes, 1))[inverse[chosen]]
    return Sample(chosen.astype(np.int64), pi.astype(float))


def pps_probabilities(sizes: np.ndarray, n: int, *, floor: float = 0.0) -> np.ndarray:
    """Inclusion probabilities proportional to size, capped at 1, each at least `floor`.

    `floor` is a fraction of the mean size added to every unit, so no unit's pi is ever zero
    (the exploration that keeps weighted estimates unbiased).
    """
    sizes = np.asarray(sizes, dtype=float)
    if np.any(sizes < 0) or not np.all(np.isfinite(sizes)):
        raise ValueError("sizes must be finite and non-negative")
    count = len(sizes)
    n = min(n, count)
    if n == 0:
        return np.zeros(count)
    mean = sizes.mean() if sizes.sum() > 0 else 1.0
    sizes = sizes + max(floor, 0.0) * mean
    if sizes.sum() == 0:
        sizes = np.ones(count)
    pi = np.zeros(count)
    certain = np.zeros(count, dtype=bool)
    while True:
        left = n - certain.sum()
        rest = ~certain
        pi[rest] = left * sizes[rest] / sizes[rest].sum()
        newly = rest & (pi >= 1)
        if not newly.any():
            break
        certain |= newly
    pi[certain] = 1.0
    return pi


def pps(sizes: np.ndarray, n: int, *, seed: int, floor: float = 0.1) -> Sample:
    """Systematic PPS over a random order: exactly round(sum(pi)) units, each with its pi."""
    pi = pps_probabilities(sizes, n, floor=floor)
    if not pi.any():
        return Sample(np.zeros(0, dtype=np.int64), np.zeros(0))
    rng = _rng(seed)
    order = rng.permutation(len(pi))
    cumulative = np.cumsum(pi[order])
    start = rng.random()
    points = start + np.arange(int(np.floor(cumulative[-1] - start + 1e-9)) + 1)
    points = points[points < cumulative[-1] + 1e-12]
    positions = np.searchsorted(cumulative, points, side="right")
    chosen = np.sort(order[np.unique(np.minimum(positions, len(pi) - 1))])
    return Sample(chosen.astype(np.int64), pi[chosen])


def hybrid(
    sizes: np.ndarray,
    strata: np.ndarray,
    n: int,
    *,
    seed: int,
    uncertainty_share: float = 0.5,
    floor: float = 0.1,
    method: Allocation = "proportional",
    minimum: int = 0,
) -> Sample:
    """A PPS part and a stratified part, drawn independently and merged (overlap counted once)."""
    if not 0 <= uncertainty_share <= 1:
        raise ValueError("uncertainty_share must be between 0 and 1")
    n_pps = round(n * uncertainty_share)
    n_strat = n - n_pps
    pi_pps = pps_probabilities(sizes, n_pps, floor=floor)
    by_score = pps(sizes, n_pps, seed=seed, floor=floor)
    by_stratum = stratified(strata, n_strat, seed=seed + 1, method=method, minimum=minimum)
    pi_strat = np.zeros(len(sizes))
    strata = np.asarray(strata)
    ids, inverse, counts = _strata_index(strata)
    allocated = allocate(counts, n_strat, method=method, minimum=minimum)
    pi_strat = (allocated / counts)[inverse]
    chosen = np.union1d(by_score.index, by_stratum.index)
    pi = 1 - (1 - pi_pps[chosen]) * (1 - pi_strat[chosen])
    return Sample(chosen.astype(np.int64), pi)


def horvitz_thompson_mean(
    values: np.ndarray, inclusion_probability: np.ndarray, population_size: int
) -> float:
    """Unbiased estimate of the population mean of `values` from a sample with known pi."""
    values = np.asarray(values, dtype=float)
    weights = 1.0 / np.asarray(inclusion_probability, dtype=float)
    return float((values * weights).sum() / population_size)
