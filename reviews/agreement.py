"""Agreement and audit statistics. Pure numpy/scipy: arrays in, numbers with intervals out.

Every statistic has a form that takes aggregated numbers (a confusion matrix, per-item category
counts, sums of weights, per-bin sums), so dashboards can aggregate in SQL and never load rows; the
array forms build those aggregates and call it. Empty input gives NaN values and uninformative
intervals, never an exception.

Cross-checked in tests against scikit-learn (Cohen's kappa, confusion matrices), statsmodels
(Fleiss' kappa, Wilson and Newcombe intervals, two-proportion z-test) and the `krippendorff`
package.
"""

from dataclasses import dataclass

import numpy as np
from scipy import stats

Z95 = 1.959963984540054
NAN = float("nan")


@dataclass(frozen=True)
class Estimate:
    value: float
    low: float
    high: float
    n: int


def wilson_interval(successes: int, n: int, *, z: float = Z95) -> Estimate:
    """Proportion with its Wilson score interval (good at small n and near 0 or 1)."""
    if n == 0:
        return Estimate(NAN, 0.0, 1.0, 0)
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return Estimate(p, max(0.0, centre - half), min(1.0, centre + half), n)


# Cohen's kappa


def confusion_matrix(a, b, labels) -> np.ndarray:
    """Counts with rows = labels of `a`, columns = labels of `b`."""
    index = {label: n for n, label in enumerate(labels)}
    matrix = np.zeros((len(labels), len(labels)), dtype=np.int64)
    for x, y in zip(a, b, strict=True):
        matrix[index[x], index[y]] += 1
    return matrix


def _kappa_of_matrices(matrices: np.ndarray) -> np.ndarray:
    """Kappa of each (k, k) matrix in a (..., k, k) stack; NaN where chance agreement is 1."""
    matrices = np.asarray(matrices, dtype=float)
    total = matrices.sum(axis=(-2, -1))
    with np.errstate(divide="ignore", invalid="ignore"):
        observed = np.trace(matrices, axis1=-2, axis2=-1) / total
        expected = (matrices.sum(axis=-1) * matrices.sum(axis=-2)).sum(axis=-1) / (total * total)
        kappa = (observed - expected) / (1 - expected)
    return np.where((total > 0) & (expected < 1), kappa, NAN)


def cohen_kappa_from_matrix(matrix) -> float:
    """Kappa from a confusion matrix of counts (rows rater 1, columns rater 2)."""
    matrix = np.asarray(matrix, dtype=float)
    if matrix.size == 0:
        return NAN
    return float(_kappa_of_matrices(matrix))


def cohen_kappa(a, b, labels=None) -> float:
    labels = list(labels) if labels is not None else sorted(set(a) | set(b))
    return cohen_kappa_from_matrix(confusion_matrix(a, b, labels))


def bootstrap_interval(
    statistic, *columns, reps: int = 1000, seed: int = 0, level: float = 0.95
) -> tuple[float, float]:
    """Percentile bootstrap over items (rows shared by all columns)."""
    rng = np.random.default_rng(seed)
    arrays = [np.asarray(column) for column in columns]
    n = len(arrays[0])
    values = []
    for _ in range(reps if n else 0):
        rows = rng.integers(0, n, n)
        value = statistic(*(array[rows] for array in arrays))
        if np.isfinite(value):
            values.append(value)
    if not values:
        return NAN, NAN
    tail = (1 - level) / 2 * 100
    return float(np.percentile(values, tail)), float(np.percentile(values, 100 - tail))


def kappa_interval_from_matrix(
    matrix, *, reps: int = 1000, seed: int = 0, level: float = 0.95
) -> tuple[float, float]:
    """Percentile bootstrap of kappa from the confusion matrix alone.

    Resampling n items with replacement is a multinomial draw of the n cell counts with the
    observed cell shares, so all replicates come from one vectorised call. Replicates whose
    kappa is undefined are dropped, as in `bootstrap_interval`; (NaN, NaN) if none is left.
    """
    matrix = np.asarray(matrix, dtype=np.int64)
    n = int(matrix.sum())
    if n == 0 or reps <= 0:
        return NAN, NAN
    rng = np.random.default_rng(seed)
    draws = rng.multinomial(n, matrix.ravel() / n, size=reps).reshape(reps, *matrix.shape)
    values = _kappa_of_matrices(draws)
    values = values[np.isfinite(values)]
    if not len(values):
        return NAN, NAN
    tail = (1 - level) / 2 * 100
    return float(np.percentile(values, tail)), float(np.percentile(values, 100 - tail))


def kappa_estimate_from_matrix(
    matrix, *, reps: int = 1000, seed: int = 0, level: float = 0.95
) -> Estimate:
    low, high = kappa_interval_from_matrix(matrix, reps=reps, seed=seed, level=level)
    return Estimate(cohen_kappa_from_matrix(matrix), low, high, int(np.asarray(matrix).sum()))


def cohen_kappa_estimate(a, b, labels=None, *, reps: int = 1000, seed: int = 0) -> Estimate:
    labels = list(labels) if labels is not None else sorted(set(a) | set(b))
    return kappa_estimate_from_matrix(confusion_matrix(a, b, labels), reps=reps, seed=seed)


# Many raters


def _weighted_rows(counts, multiplicity) -> tuple[np.ndarray, np.ndarray]:
    """(counts as a float matrix, one weight per row), rows of weight 0 dropped."""
    counts = np.asarray(counts, dtype=float)
    if counts.size == 0:
        counts = counts.reshape(0, counts.shape[-1] if counts.ndim == 2 else 0)
    counts = np.atleast_2d(counts)
    weights = (
        np.ones(len(counts)) if multiplicity is None else np.asarray(multiplicity, dtype=float)
    )
    if weights.shape != (len(counts),):
        raise ValueError("multiplicity needs one weight per row of counts")
    keep = weights > 0
    return counts[keep], weights[keep]


def fleiss_kappa(counts, multiplicity=None) -> float:
    """`counts[i, k]`: how many raters put item i in category k (same number of raters per item;
    NaN when it is below two).

    `multiplicity[i]`: how many items share row i's count pattern (a GROUP BY over the per-item
    count vector); the result equals Fleiss' kappa on the matrix with rows repeated that often.
    """
    counts, weights = _weighted_rows(counts, multiplicity)
    if len(counts) == 0:
        return NAN
    raters = counts.sum(axis=1)
    if np.any(raters != raters[0]):
        raise ValueError("Fleiss' kappa needs the same number of ratings per item")
    r, items = raters[0], weights.sum()
    if r < 2:
        return NAN  # single ratings: no pair to agree or disagree
    p_category = weights @ counts / (items * r)
    p_item = ((counts * counts).sum(axis=1) - r) / (r * (r - 1))
    p_bar, p_expected = weights @ p_item / items, (p_category * p_category).sum()
    return float((p_bar - p_expected) / (1 - p_expected)) if p_expected < 1 else NAN


def krippendorff_alpha_from_counts(counts, multiplicity=None) -> float:
    """Nominal alpha from `counts[i, k]`: how many raters put item i in category k.

    Raters per item may differ; items with fewer than two ratings are not pairable and ignored.
    `multiplicity[i]` repeats row i, as in `fleiss_kappa`. Each item adds
    (n_ic n_ik - [c = k] n_ic) / (m_i - 1) to the coincidence matrix, m_i its number of ratings.
    """
    counts, weights = _weighted_rows(counts, multiplicity)
    ratings = counts.sum(axis=1)
    pairable = ratings >= 2
    counts, share = counts[pairable], weights[pairable] / (ratings[pairable] - 1)
    weighted = counts * share[:, None]
    coincidence = weighted.T @ counts - np.diag(weighted.sum(axis=0))
    n = coincidence.sum()
    if n <= 1:
        return NAN
    marginals = coincidence.sum(axis=1)
    observed = n - np.trace(coincidence)
    expected = (n * n - (marginals * marginals).sum()) / (n - 1)
    return float(1 - observed / expected) if expected > 0 else NAN


def krippendorff_alpha_nominal(reliability) -> float:
    """`reliability[rater, item]` holds category codes, NaN where the rater did not rate."""
    data = np.atleast_2d(np.asarray(reliability, dtype=float))
    categories = np.unique(data[~np.isnan(data)])
    counts = (data[:, :, None] == categories).sum(axis=0)  # (item, category)
    return krippendorff_alpha_from_counts(counts)


# Calibration


@dataclass(frozen=True)
class CalibrationBin:
    low: float
    high: float
    count: int
    mean_confidence: float
    observed_rate: float


def calibration_bin(confidence, *, bins: int = 10) -> np.ndarray:
    """Bin of each confidence: (b/bins, (b+1)/bins], 0 in the first bin, out-of-range clipped.

    The SQL twin is GREATEST(LEAST(CEIL(confidence * bins) - 1, bins - 1), 0); both compute in
    double precision, so a row lands in the same bin either way.
    """
    confidence = np.asarray(confidence, dtype=float)
    return np.clip(np.ceil(confidence * bins) - 1, 0, bins - 1).astype(np.int64)


def calibration_from_bins(
    count, sum_confidence, sum_correct, *, bins: int = 10
) -> tuple[list[CalibrationBin], float]:
    """Reliability bins and expected calibration error from per-bin sums.

    Each argument has one entry per bin, in bin order (bin b covers (b/bins, (b+1)/bins], see
    `calibration_bin`): the number of judgments, the sum of their AI confidences, and how many
    humans agreed with. ECE is the count-weighted mean of |mean confidence - observed rate|.
    """
    count = np.asarray(count, dtype=float).reshape(-1)
    sum_confidence = np.asarray(sum_confidence, dtype=float).reshape(-1)
    sum_correct = np.asarray(sum_correct, dtype=float).reshape(-1)
    if not len(count) == len(sum_confidence) == len(sum_correct) == bins:
        raise ValueError(f"calibration needs {bins} entries per argument, one per bin")
    filled = count > 0
    safe = np.where(filled, count, 1)
    mean_confidence = np.where(filled, sum_confidence / safe, NAN)
    observed_rate = np.where(filled, sum_correct / safe, NAN)
    result = [
        CalibrationBin(
            b / bins,
            (b + 1) / bins,
            int(count[b]),
            float(mean_confidence[b]),
            float(observed_rate[b]),
        )
        for b in range(bins)
    ]
    total = count.sum()
    if total == 0:
        return result, NAN
    gap = np.abs(mean_confidence[filled] - observed_rate[filled])
    return result, float((count[filled] / total) @ gap)


def _calibration(confidence, correct, bins: int) -> tuple[list[CalibrationBin], float]:
    """Judgments without a confidence (NaN) are left out, as SQL leaves out NULL."""
    confidence, correct = np.asarray(confidence, float), np.asarray(correct, float)
    known = ~np.isnan(confidence)
    confidence, correct = confidence[known], correct[known]
    which = calibration_bin(confidence, bins=bins)
    return calibration_from_bins(
        np.bincount(which, minlength=bins),
        np.bincount(which, weights=confidence, minlength=bins),
        np.bincount(which, weights=correct, minlength=bins),
        bins=bins,
    )


def reliability_bins(confidence, correct, *, bins: int = 10) -> list[CalibrationBin]:
    """AI confidence bins against the observed rate at which humans agree with the AI."""
    return _calibration(confidence, correct, bins)[0]


def expected_calibration_error(confidence, correct, *, bins: int = 10) -> float:
    return _calibration(confidence, correct, bins)[1]


# Weighted estimates from samples with unequal inclusion probabilities


def horvitz_thompson_from_sums(
    n: int,
    sum_y_over_pi: float,
    sum_y_over_pi2: float,
    population_size: int,
    *,
    z: float = Z95,
) -> Estimate:
    """Horvitz-Thompson rate from n, S1 = sum(y/pi) and S2 = sum(y^2/pi^2) (= sum(y/pi^2) for
    binary y), with the variance of `horvitz_thompson_rate`.

    sum((n y_i/pi_i - S1)^2) = n^2 S2 - n S1^2, so the variance is (n S2 - S1^2)/(n-1)/N^2.
    """
    if n == 0 or population_size <= 0:
        return Estimate(NAN, 0.0, 1.0, n)
    value = sum_y_over_pi / population_size
    if n < 2:
        return Estimate(value, 0.0, 1.0, n)
    spread = max(n * sum_y_over_pi2 - sum_y_over_pi * sum_y_over_pi, 0.0)  # >= 0 up to rounding
    variance = spread / (n - 1) / population_size**2
    half = z * np.sqrt(variance)
    return Estimate(value, max(0.0, value - half), min(1.0, value + half), n)


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
    return horvitz_thompson_from_sums(
        len(y), float((y / pi).sum()), float((y * y / (pi * pi)).sum()), population_size, z=z
    )


def hajek_rate_from_sums(
    n: int,
    sum_w: float,
    sum_wy: float,
    sum_w2y: float,
    sum_w2: float,
    *,
    z: float = Z95,
) -> Estimate:
    """Hajek (ratio) estimate of a rate of binary y, weights w = 1/pi: r = sum(w y) / sum(w).

    The estimator for a subgroup, whose size is unknown and estimated by sum(w). Linearised
    with-replacement variance n/(n-1) sum(w^2 (y - r)^2) / sum(w)^2, where for binary y
    sum(w^2 (y - r)^2) = sum(w^2 y)(1 - 2r) + r^2 sum(w^2). Interval clipped to [0, 1].
    """
    if n == 0 or sum_w <= 0:
        return Estimate(NAN, 0.0, 1.0, n)
    rate = sum_wy / sum_w
    if n < 2:
        return Estimate(rate, 0.0, 1.0, n)
    squares = max(sum_w2y * (1 - 2 * rate) + rate * rate * sum_w2, 0.0)
    variance = n / (n - 1) * squares / (sum_w * sum_w)
    half = z * np.sqrt(variance)
    return Estimate(rate, max(0.0, rate - half), min(1.0, rate + half), n)


def hajek_rate(y, inclusion_probability, *, z: float = Z95) -> Estimate:
    """Rate of binary `y` over the sampled units given (a subgroup's), weighted by 1/pi."""
    y = np.asarray(y, dtype=float)
    w = 1.0 / np.asarray(inclusion_probability, dtype=float)
    return hajek_rate_from_sums(
        len(y), float(w.sum()), float(w @ y), float((w * w) @ y), float(w @ w), z=z
    )


# Comparing two proportions


@dataclass(frozen=True)
class ProportionDiff:
    """p2 - p1 with its Newcombe hybrid score interval and the two-sided pooled z-test."""

    difference: float
    low: float
    high: float
    p_value: float
    first: Estimate  # p1 with its Wilson interval
    second: Estimate

    @property
    def n1(self) -> int:
        return self.first.n

    @property
    def n2(self) -> int:
        return self.second.n


def two_proportion_test(agree1: int, n1: int, agree2: int, n2: int) -> ProportionDiff:
    """Difference p2 - p1 of two independent proportions.

    Interval: Newcombe's hybrid score method (his method 10), built from the two Wilson
    intervals. p-value: two-sided z-test with the pooled proportion; 1 when both sides are all 0
    or all 1. With an empty side: NaN difference and p-value, interval [-1, 1].
    """
    first, second = wilson_interval(agree1, n1), wilson_interval(agree2, n2)
    if n1 == 0 or n2 == 0:
        return ProportionDiff(NAN, -1.0, 1.0, NAN, first, second)
    p1, p2 = first.value, second.value
    difference = p2 - p1
    low = difference - np.hypot(p2 - second.low, first.high - p1)
    high = difference + np.hypot(second.high - p2, p1 - first.low)
    pooled = (agree1 + agree2) / (n1 + n2)
    se = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    p_value = float(2 * stats.norm.sf(abs(difference) / se)) if se > 0 else 1.0
    return ProportionDiff(
        difference, float(max(-1.0, low)), float(min(1.0, high)), p_value, first, second
    )


def two_proportion_drift(
    previous_agree: int, previous_n: int, current_agree: int, current_n: int, *, alpha: float = 0.05
) -> tuple[float, bool]:
    """One-sided z-test that agreement dropped since the previous period: (p-value, alert)."""
    if previous_n == 0 or current_n == 0:
        return NAN, False
    p1, p2 = previous_agree / previous_n, current_agree / current_n
    pooled = (previous_agree + current_agree) / (previous_n + current_n)
    se = np.sqrt(pooled * (1 - pooled) * (1 / previous_n + 1 / current_n))
    if se == 0:
        return 1.0, False
    z = (p1 - p2) / se
    p_value = float(stats.norm.sf(z))
    return p_value, p_value < alpha


@dataclass(frozen=True)
class PositionBias:
    """How often the AI judge keeps the same position whatever the order, and whether those
    judgments agree with humans less often than the others."""

    stuck_share: Estimate  # position-stuck judgments among all judgments
    agreement_stuck: Estimate  # agreement with the human gold label, stuck judgments
    agreement_free: Estimate  # the same, judgments that were not stuck
    difference: ProportionDiff  # agreement_stuck - agreement_free


def position_bias(
    n_labels: int,
    n_stuck: int,
    agree_stuck: int,
    n_stuck_gold: int,
    agree_free: int,
    n_free_gold: int,
) -> PositionBias:
    """From counts: all judgments, the stuck ones, and gold-labelled stuck and free ones with how
    many of each agree with the human. A negative difference means stuck judgments are worse."""
    difference = two_proportion_test(agree_free, n_free_gold, agree_stuck, n_stuck_gold)
    return PositionBias(
        stuck_share=wilson_interval(n_stuck, n_labels),
        agreement_stuck=difference.second,
        agreement_free=difference.first,
        difference=difference,
    )
