"""Seeded simulations of the sampling designs on synthetic populations with known truth. Pure numpy.

A population's AI errors concentrate where the AI is unsure, so any design that favours uncertain
labels over-counts errors unless each label is weighted by 1/pi. `coverage_simulation` measures how
often the weighted (Horvitz-Thompson) 95% interval covers the true error rate, and how far the
plain mean of the sample is off; the tests assert on it and the benchmark records it.
"""

from dataclasses import dataclass

import numpy as np

from reviews.sampling import hybrid, pps
from stats import horvitz_thompson_rate

STRATUM_BASE_RATES = (0.05, 0.1, 0.2, 0.3)
DESIGNS = ("uncertainty", "hybrid")


@dataclass(frozen=True)
class Population:
    strata: np.ndarray  # int64 stratum code per unit, 0..3
    uncertainty: np.ndarray  # float64 in (0, 1), the score PPS oversamples
    error_rate: np.ndarray  # each unit's chance that the AI is wrong
    errors: np.ndarray  # float64 0/1, the realised errors: the truth estimates aim at

    @property
    def true_rate(self) -> float:
        return float(self.errors.mean()) if len(self.errors) else float("nan")

    @property
    def stratum_rates(self) -> tuple[float, ...]:
        """Realised error rate per stratum (NaN for a stratum with no units)."""
        sizes = np.bincount(self.strata, minlength=len(STRATUM_BASE_RATES))
        sums = np.bincount(self.strata, weights=self.errors, minlength=len(STRATUM_BASE_RATES))
        return tuple(float(s / c) if c else float("nan") for s, c in zip(sums, sizes, strict=True))


def synthetic_population(size: int = 5000, *, seed: int = 4) -> Population:
    """4 strata with base error rates 0.05/0.1/0.2/0.3, plus 0.4 times a Beta(2, 5) uncertainty."""
    rng = np.random.default_rng(seed)
    strata = rng.integers(0, len(STRATUM_BASE_RATES), size)
    uncertainty = rng.beta(2, 5, size)
    error_rate = np.array(STRATUM_BASE_RATES)[strata] + 0.4 * uncertainty
    errors = (rng.random(size) < error_rate).astype(float)
    return Population(strata.astype(np.int64), uncertainty, error_rate, errors)


@dataclass(frozen=True)
class CoverageResult:
    design: str
    reps: int
    coverage: float  # share of repetitions whose weighted 95% interval holds the true rate
    true_rate: float
    mean_weighted: float  # mean Horvitz-Thompson estimate over repetitions
    mean_unweighted: float  # mean plain sample error rate over repetitions
    unweighted_bias: float  # mean_unweighted - true_rate
    unweighted_bias_se: float  # its Monte Carlo standard error, sd / sqrt(reps)
    stratum_rates: tuple[float, ...]  # true (realised) error rate per stratum

    @property
    def weighted_bias(self) -> float:
        return self.mean_weighted - self.true_rate


def coverage_simulation(
    design: str, *, reps: int = 200, seed: int = 4, size: int = 5000, n: int = 300
) -> CoverageResult:
    """Draw `reps` samples of `n` from one population (built from `seed`), sample seeds 0..reps-1.

    "uncertainty": PPS on uncertainty with a floor of 0.2; "hybrid": half PPS, half stratified.
    """
    if design not in DESIGNS:
        raise ValueError(f"unknown design {design!r}, expected one of {DESIGNS}")
    population = synthetic_population(size, seed=seed)
    truth = population.true_rate
    if reps <= 0 or size <= 0:
        nan = float("nan")
        return CoverageResult(
            design, max(reps, 0), nan, truth, nan, nan, nan, nan, population.stratum_rates
        )
    covered, plain, weighted = 0, [], []
    for sample_seed in range(reps):
        if design == "uncertainty":
            sample = pps(population.uncertainty, n, seed=sample_seed, floor=0.2)
        else:
            sample = hybrid(
                population.uncertainty, population.strata, n, seed=sample_seed, floor=0.2
            )
        errors = population.errors[sample.index]
        estimate = horvitz_thompson_rate(errors, sample.inclusion_probability, size)
        covered += estimate.low <= truth <= estimate.high
        plain.append(errors.mean() if len(errors) else np.nan)
        weighted.append(estimate.value)
    plain_mean = float(np.mean(plain))
    plain_se = float(np.std(plain, ddof=1) / np.sqrt(reps)) if reps > 1 else float("nan")
    return CoverageResult(
        design=design,
        reps=reps,
        coverage=float(covered / reps),
        true_rate=truth,
        mean_weighted=float(np.mean(weighted)),
        mean_unweighted=plain_mean,
        unweighted_bias=plain_mean - truth,
        unweighted_bias_se=plain_se,
        stratum_rates=population.stratum_rates,
    )
