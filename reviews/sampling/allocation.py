"""How many units each stratum gets: expected sizes by allocation (proportional, equal, Neyman),
rounded at random to whole counts with E[n_h] = t_h exactly. Pure numpy."""

from typing import Literal

import numpy as np

Allocation = Literal["proportional", "equal", "neyman"]
ALLOCATIONS = ("proportional", "equal", "neyman")
NEYMAN_MIN_SD = 0.05
# Expected sizes this close to an integer are that integer (float noise, not a design choice).
_SNAP = 1e-9


def seeded_generator(seed) -> np.random.Generator:
    """A generator from an integer seed (or a spawned SeedSequence)."""
    if isinstance(seed, np.random.SeedSequence):
        return np.random.default_rng(seed)
    return np.random.default_rng(np.random.SeedSequence(seed))


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
    allow, fractional parts in (0, 1): what `round_systematically` needs so that each stratum's
    chance of its extra unit is exactly its fractional part."""
    nearest = np.round(targets)
    targets = np.where(np.abs(targets - nearest) < _SNAP, nearest, targets)
    whole = np.floor(targets)
    fraction = targets - whole
    extra = total - int(whole.sum())
    if fraction.sum() > 0:
        fraction = np.clip(fraction * (extra / fraction.sum()), 0.0, 1.0 - _SNAP / 10)
    return whole + fraction


def round_systematically(targets: np.ndarray, rng: np.random.Generator) -> np.ndarray:
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
    return round_systematically(targets, seeded_generator(seed))
