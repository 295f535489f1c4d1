"""Agreement and audit statistics. Pure numpy/scipy: arrays in, numbers with intervals out.

Cross-checked in tests against scikit-learn (Cohen's kappa, confusion matrices), statsmodels
(Fleiss' kappa, Wilson intervals, two-proportion z-test) and the `krippendorff` package.
"""

from dataclasses import dataclass

import numpy as np
from scipy import stats

Z95 = 1.959963984540054


@dataclass(frozen=True)
class Estimate:
    value: float
    low: float
    high: float
    n: int


def wilson_interval(successes: int, n: int, *, z: float = Z95) -> Estimate:
    """Proportion with its Wilson score interval (good at small n and near 0 or 1)."""
    if n == 0:
        return Estimate(float("nan"), 0.0, 1.0, 0)
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return Estimate(p, max(0.0, centre - half), min(1.0, centre + half), n)


def confusion_matrix(a, b, labels) -> np.ndarray:
    """Counts with rows = labels of `a`, columns = labels of `b`."""
    index = {label: n for n, label in enumerate(labels)}
    matrix = np.zeros((len(labels), len(labels)), dtype=np.int64)
    for x, y in zip(a, b, strict=True):
        matrix[index[x], index[y]] += 1
    return matrix


def cohen_kappa(a, b, labels=None) -> float:
    labels = list(labels) if labels is not None else sorted(set(a) | set(b))
    matrix = confusion_matrix(a, b, labels).astype(float)
    total = matrix.sum()
    if total == 0:
        return float("nan")
    observed = np.trace(matrix) / total
    expected = (matrix.sum(axis=1) @ matrix.sum(axis=0)) / (total * total)
    return float((observed - expected) / (1 - expected)) if expected < 1 else float("nan")


def bootstrap_interval(
    statistic, *columns, reps: int = 1000, seed: int = 0, level: float = 0.95
) -> tuple[float, float]:
    """Percentile bootstrap over items (rows shared by all columns)."""
    rng = np.random.default_rng(seed)
    arrays = [np.asarray(column) for column in columns]
    n = len(arrays[0])
    values = []
    for _ in range(reps):
        rows = rng.integers(0, n, n)
        value = statistic(*(array[rows] for array in arrays))
        if np.isfinite(value):
            values.append(value)
    if not values:
        return float("nan"), float("nan")
    tail = (1 - level) / 2 * 100
    return float(np.percentile(values, tail)), float(np.percentile(values, 100 - tail))


def cohen_kappa_estimate(a, b, labels=None, *, reps: int = 1000, seed: int = 0) -> Estimate:
    labels = list(labels) if labels is not None else sorted(set(a) | set(b))
    value = cohen_kappa(a, b, labels)
    low, high = bootstrap_interval(
        lambda x, y: cohen_kappa(x, y, labels), a, b, reps=reps, seed=seed
    )
    return Estimate(value, low, high, len(a))


def fleiss_kappa(counts: np.ndarray) -> float:
    """`counts[i, k]`: how many raters put item i in category k (same number of raters per item)."""
    counts = np.asarray(counts, dtype=float)
    items, _ = counts.shape
    raters = counts.sum(axis=1)
    if items == 0 or np.any(raters != raters[0]) or raters[0] < 2:
        raise ValueError("Fleiss' kappa needs the same number (>= 2) of ratings per item")
    r = raters[0]
    p_category = counts.sum(axis=0) / (items * r)
    p_item = ((counts * counts).sum(axis=1) - r) / (r * (r - 1))
    p_bar, p_expected = p_item.mean(), (p_category * p_category).sum()
    return float((p_bar - p_expected) / (1 - p_expected)) if p_expected < 1 else float("nan")


def krippendorff_alpha_nominal(reliability: np.ndarray) -> float:
    """`reliability[rater, item]` holds category codes, NaN where the rater did not rate."""
    data = np.asarray(reliability, dtype=float)
    categories = np.unique(data[~np.isnan(data)])
    index = {value: n for n, value in enumerate(categories)}
    coincidence = np.zeros((len(categories), len(categories)))
    for item in data.T:
        values = item[~np.isnan(item)]
        m = len(values)
        if m < 2:
            continue
        codes = [index[v] for v in values]
        for i, ci in enumerate(codes):
            for j, cj in enumerate(codes):
                if i != j:
                    coincidence[ci, cj] += 1.0 / (m - 1)
    n = coincidence.sum()
    if n == 0:
        return float("nan")
    marginals = coincidence.sum(axis=1)
    observed = n - np.trace(coincidence)
    expected = (n * n - (marginals * marginals).sum()) / (n - 1)
    return float(1 - observed / expected) if expected > 0 else float("nan")


@dataclass(frozen=True)
class CalibrationBin:
    low: float
    high: float
    count: int
    mean_confidence: float
    observed_rate: float


def reliability_bins(confidence, correct, *, bins: int = 10) -> list[CalibrationBin]:
    """AI confidence bins against the observed rate at which humans agree with the AI."""
    confidence, correct = np.asarray(confidence, float), np.asarray(correct, float)
    edges = np.linspace(0, 1, bins + 1)
    which = np.clip(np.digitize(confidence, edges[1:-1], right=True), 0, bins - 1)
    result = []
    for b in range(bins):
        mask = which == b
        count = int(mask.sum())
        result.append(
            CalibrationBin(
                float(edges[b]), float(edges[b + 1]), count,
                float(confidence[mask].mean()) if count else float("nan"),
                float(correct[mask].mean()) if count else float("nan"),
            )
        )  # fmt: skip
    return result


def expected_calibration_error(confidence, correct, *, bins: int = 10) -> float:
    total = len(confidence)
    if total == 0:
        return float("nan")
    return float(
        sum(
            b.count / total * abs(b.mean_confidence - b.observed_rate)
            for b in reliability_bins(confidence, correct, bins=bins)
            if b.count
        )
    )


def horvitz_thompson_rate(
    errors, inclusion_probability, population_size: int, *, z: float = Z95
) -> Estimate:
    """Population error rate from a sample with unequal inclusion probabilities.

    Point estimate: (1/N) sum(y_i / pi_i). Variance: the with-replacement (Hansen-Hurwitz)
    approximation with p_i = pi_i / n, which is slightly conservative for designs without
    replacement such as systematic PPS and stratified sampling.
    """
    y = np.asarray(errors, dtype=float)
    pi = np.asarray(inclusion_probability, dtype=float)
    n = len(y)
    if n == 0:
        return Estimate(float("nan"), 0.0, 1.0, 0)
    total = float((y / pi).sum())
    value = total / population_size
    if n < 2:
        return Estimate(value, 0.0, 1.0, n)
    draws = y / (pi / n)  # each unit's estimate of the population total
    variance = ((draws - total) ** 2).sum() / (n * (n - 1)) / population_size**2
    half = z * np.sqrt(variance)
    return Estimate(value, max(0.0, value - half), min(1.0, value + half), n)


def two_proportion_drift(
    previous_agree: int, previous_n: int, current_agree: int, current_n: int, *, alpha: float = 0.05
) -> tuple[float, bool]:
    """One-sided z-test that agreement dropped since the previous period: (p-value, alert)."""
    if previous_n == 0 or current_n == 0:
        return float("nan"), False
    p1, p2 = previous_agree / previous_n, current_agree / current_n
    pooled = (previous_agree + current_agree) / (previous_n + current_n)
    se = np.sqrt(pooled * (1 - pooled) * (1 / previous_n + 1 / current_n))
    if se == 0:
        return 1.0, False
    z = (p1 - p2) / se
    p_value = float(stats.norm.sf(z))
    return p_value, p_value < alpha
