"""Sampling designs for human spot checks, with exact inclusion probabilities. Pure numpy.

Every design returns, for each sampled unit, its inclusion probability pi: the chance the design
had of picking it. Weighting each reviewed label by 1/pi (Horvitz-Thompson) gives unbiased
population estimates even when the sample favours uncertain or high-stakes labels, which is why no
design here is a plain top-k. Every unit's pi is positive and the recorded one is the true one;
a design that would leave some unit at pi = 0 is refused with a ValueError that says why.
Each design has a `*_probabilities` twin that returns pi for every unit of the population, so the
stated probabilities can be checked against simulated selection frequencies.

Designs:
- `simple_random`: n of N without replacement, pi = n/N.
- `stratified`: an expected size t_h per stratum (proportional, equal or Neyman allocation with a
  minimum; fractional), rounded at random to an integer n_h with E[n_h] = t_h and sum n_h = n
  (systematic rounding of the fractional parts over a random order of the strata: Madow 1949;
  the fixed-size unbiased rounding of Cox 1987), then simple random within each stratum. So
  pi = t_h / N_h: with more strata than the sample size every stratum still has pi > 0.
- `pps`: probability proportional to size (a score or an oversampling weight) with a floor, by
  systematic sampling over a random order (Madow 1949; Hartley & Rao 1962): fixed size,
  pi = n * size / sum(size), capped at 1 (the capped units taken with certainty).
- `hybrid`: a PPS share (to find errors) and a stratified share (to estimate error rates) drawn
  independently and merged; pi = 1 - (1 - pi_1)(1 - pi_2).
"""

from dataclasses import dataclass
from typing import Literal

import numpy as np

Allocation = Literal["proportional", "equal", "neyman"]
ALLOCATIONS = ("proportional", "equal", "neyman")
NEYMAN_MIN_SD = 0.05
# Expected sizes this close to an integer are that integer (float noise, not a design choice).
_SNAP = 1e-9


@dataclass(frozen=True)
class Sample:
    """Positions into the population arrays, and each one's inclusion probability."""

    index: np.ndarray  # int64 positions, ascending
    inclusion_probability: np.ndarray  # float64, same length, each in (0, 1]

    def __len__(self) -> int:
        return len(self.index)


def _rng(seed) -> np.random.Generator:
    """A generator from an integer seed (or a spawned SeedSequence)."""
    if isinstance(seed, np.random.SeedSequence):
        return np.random.default_rng(seed)
    return np.random.default_rng(np.random.SeedSequence(seed))


def simple_random(population_size: int, n: int, *, seed: int) -> Sample:
    n = max(min(n, population_size), 0)
    chosen = np.sort(_rng(seed).choice(population_size, size=n, replace=False))
    return Sample(chosen.astype(np.int64), np.full(n, n / population_size if n else 0.0))


# --- Stratified sampling ----------------------------------------------------------------------


def _allocation_weights(
    sizes: np.ndarray, method: str, stratum_sd: np.ndarray | None
) -> np.ndarray:
    if method == "proportional":
        return sizes.astype(float)
    if method == "equal":
        return (sizes > 0).astype(float)
    if method == "neyman":
        if stratum_sd is None:
            raise ValueError("Neyman allocation needs a standard deviation per stratum")
        sd = np.asarray(stratum_sd, dtype=float)
        if sd.shape != sizes.shape or not np.all(np.isfinite(sd)) or np.any(sd < 0):
            raise ValueError(
                "Neyman allocation needs one finite, non-negative standard deviation per stratum"
            )
        # A stratum believed constant (S_h = 0, often from a small pilot) still gets a share:
        # its pi must stay above zero, and a sliver would give its labels weights so large that
        # one of them drawn swamps the estimate. S_h >= 0.05 (an error rate of 0.25%) keeps the
        # allocation per label within a factor 10 of the most variable stratum's.
        return sizes * np.clip(sd, NEYMAN_MIN_SD, None)
    raise ValueError(f"unknown allocation {method!r}; use one of {', '.join(ALLOCATIONS)}")


def allocation_targets(
    stratum_sizes: np.ndarray,
    n: int,
    *,
    method: Allocation = "proportional",
    minimum: int = 0,
    stratum_sd: np.ndarray | None = None,
) -> np.ndarray:
    """Expected sample size t_h per stratum (fractional): t_h = clip(c * w_h, m_h, N_h), with the
    one c that makes them sum to min(n, N). w_h is N_h (proportional), 1 (equal) or N_h * S_h
    (Neyman, S_h the expected standard deviation of what is estimated: for an error rate p_h,
    sqrt(p_h (1 - p_h))); m_h = min(minimum, N_h). Every non-empty stratum gets t_h > 0.

    The rounding to whole counts happens in `allocate`, at random, so that E[n_h] = t_h exactly:
    rounding here (to the nearest, or largest remainders) would give the strata that round to 0
    an inclusion probability of 0, and those that round up a recorded pi that is not their own.
    """
    sizes = np.asarray(stratum_sizes, dtype=np.int64)
    if np.any(sizes < 0):
        raise ValueError("stratum sizes must be non-negative")
    if minimum < 0:
        raise ValueError("the minimum per stratum must be 0 or more")
    total = int(max(min(n, sizes.sum()), 0))
    weights = _allocation_weights(sizes, method, stratum_sd)
    low = np.minimum(sizes, minimum).astype(float)
    high = sizes.astype(float)
    if low.sum() > total:
        raise ValueError(
            f"a minimum of {minimum} per stratum needs {int(low.sum())} labels, more than {total}"
        )
    if total == 0:
        return np.zeros(len(sizes))
    if total >= high.sum():
        return high.copy()
    targets = np.clip(_water_level(weights, low, high, total) * weights, low, high)
    free = (targets > low) & (targets < high)
    if free.any():  # the last rounding error goes to the strata not at a bound
        targets[free] += (total - targets.sum()) * weights[free] / weights[free].sum()
        targets = np.clip(targets, low, high)
    return _snapped(targets, total)


def _water_level(weights: np.ndarray, low: np.ndarray, high: np.ndarray, total: int) -> float:
    """The c with sum(clip(c * w, low, high)) = total, exactly, in O(H log H).

    The sum is continuous and piecewise linear in c, with kinks at low/w and high/w: walk the
    kinks in order, keeping its constant part and slope, and solve on the segment that reaches
    `total`."""
    movable = weights > 0
    w, lo, hi = weights[movable], low[movable], high[movable]
    kinks = np.concatenate((lo / w, hi / w))
    order = np.argsort(kinks, kind="stable")
    slope = np.cumsum(np.concatenate((w, -w))[order])
    constant = low.sum() + np.cumsum(np.concatenate((-lo, hi))[order])
    reached = constant + kinks[order] * slope  # the sum at each kink
    i = int(np.searchsorted(reached, total, side="left"))
    if i == 0:
        return 0.0
    i = min(i, len(reached) - 1)
    return float((total - constant[i - 1]) / slope[i - 1]) if slope[i - 1] > 0 else kinks[order][i]


def _snapped(targets: np.ndarray, total: int) -> np.ndarray:
    """Targets whose whole parts and fractional parts add up to `total` as exactly as floats
    allow, fractional parts in (0, 1): what `_round_systematically` needs so that each stratum's
    chance of its extra unit is exactly its fractional part."""
    nearest = np.round(targets)
    targets = np.where(np.abs(targets - nearest) < _SNAP, nearest, targets)
    whole = np.floor(targets)
    fraction = targets - whole
    extra = total - int(whole.sum())
    if fraction.sum() > 0:
        fraction = np.clip(fraction * (extra / fraction.sum()), 0.0, 1.0 - _SNAP / 10)
    return whole + fraction


def _round_systematically(targets: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Whole counts n_h in {floor(t_h), floor(t_h) + 1} with E[n_h] = t_h and sum n_h = sum t_h.

    Systematic sampling (Madow 1949) of the fractional parts over a random order of the strata:
    one uniform start, points at start + 0, 1, ..., each landing in exactly one stratum's
    interval, whose length is its fractional part (< 1, so at most one point each)."""
    whole = np.floor(targets).astype(np.int64)
    fraction = targets - whole
    extra = int(round(fraction.sum()))
    if extra <= 0:
        return whole
    order = rng.permutation(len(targets))
    cumulative = np.cumsum(fraction[order])
    cumulative *= extra / cumulative[-1]
    points = rng.random() + np.arange(extra)
    picked = np.minimum(np.searchsorted(cumulative, points, side="right"), len(targets) - 1)
    whole[order[picked]] += 1
    return whole


def allocate(
    stratum_sizes: np.ndarray,
    n: int,
    *,
    seed,
    method: Allocation = "proportional",
    minimum: int = 0,
    stratum_sd: np.ndarray | None = None,
) -> np.ndarray:
    """Sample size per stratum for one draw: sums to min(n, N), each within
    [min(minimum, N_h), N_h], each n_h the floor or ceiling of its target with E[n_h] = t_h."""
    targets = allocation_targets(
        stratum_sizes, n, method=method, minimum=minimum, stratum_sd=stratum_sd
    )
    return _round_systematically(targets, _rng(seed))


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
    rng = _rng(seed)
    counts = _round_systematically(targets, rng)
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
    chosen = _systematic(pi, _rng(seed))
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
    by_score = _systematic(pi_pps, _rng(score_stream)) if pi_pps.any() else np.zeros(0, np.int64)
    by_stratum = np.zeros(0, np.int64)
    if n_strat:
        by_stratum = stratified(
            strata, n_strat, seed=stratum_stream, method=method, minimum=minimum,
            stratum_sd=stratum_sd,
        ).index  # fmt: skip
    chosen = np.union1d(by_score, by_stratum).astype(np.int64)
    return Sample(chosen, np.minimum(pi[chosen], 1.0))
