"""Agreement between raters: confusion matrices, Cohen's and Fleiss' kappa, Krippendorff's alpha,
bootstrap intervals, and the position bias of a pairwise judge.

Pure numpy. Every statistic has a form that takes aggregated numbers (a confusion matrix, per-item
category counts), so callers can aggregate in SQL and never load rows; the array forms build those
aggregates and call it. Empty input gives NaN, never an exception (except where stated).
"""

from dataclasses import dataclass

import numpy as np

from .proportions import NAN, Estimate, ProportionDiff, two_proportion_test, wilson_interval

# Cohen's kappa


def confusion_matrix(a, b, labels) -> np.ndarray:
    """(k, k) int64 counts, rows = labels of `a`, columns = labels of `b`, in `labels` order.

    Raises KeyError for a value not in `labels` and ValueError when `a` and `b` differ in length.
    """
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
    """Cohen's (1960) kappa from a (k, k) confusion matrix of counts (rows rater 1, columns
    rater 2): (observed - chance agreement) / (1 - chance). NaN when empty or chance is 1."""
    matrix = np.asarray(matrix, dtype=float)
    if matrix.size == 0:
        return NAN
    return float(_kappa_of_matrices(matrix))


def cohen_kappa(a, b, labels=None) -> float:
    """Cohen's (1960) kappa of two raters' labels of the same items (two equal-length sequences);
    `labels` defaults to the sorted union of the values seen."""
    labels = list(labels) if labels is not None else sorted(set(a) | set(b))
    return cohen_kappa_from_matrix(confusion_matrix(a, b, labels))


def bootstrap_interval(
    statistic, *columns, reps: int = 1000, seed: int = 0, level: float = 0.95
) -> tuple[float, float]:
    """Percentile bootstrap (Efron 1979) of `statistic(*columns)` over items (the rows shared by
    all columns). Non-finite replicates are dropped; (NaN, NaN) if none is left."""
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
    """Cohen's kappa of a confusion matrix with its bootstrap interval; n = the matrix total."""
    low, high = kappa_interval_from_matrix(matrix, reps=reps, seed=seed, level=level)
    return Estimate(cohen_kappa_from_matrix(matrix), low, high, int(np.asarray(matrix).sum()))


def cohen_kappa_estimate(a, b, labels=None, *, reps: int = 1000, seed: int = 0) -> Estimate:
    """Cohen's kappa of two raters' labels with its bootstrap interval."""
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
    """Fleiss' (1971) kappa. `counts[i, k]`: how many raters put item i in category k (same
    number of raters per item; NaN when it is below two).

    `multiplicity[i]`: how many items share row i's count pattern (a GROUP BY over the per-item
    count vector); the result equals Fleiss' kappa on the matrix with rows repeated that often.
    Raises ValueError when items have different numbers of ratings or `multiplicity` does not
    have one weight per row.
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
    """Krippendorff's nominal alpha (Krippendorff 2004, Content Analysis, ch. 11) from
    `counts[i, k]`: how many raters put item i in category k.

    Raters per item may differ; items with fewer than two ratings are not pairable and ignored.
    `multiplicity[i]` repeats row i, as in `fleiss_kappa`. Each item adds
    (n_ic n_ik - [c = k] n_ic) / (m_i - 1) to the coincidence matrix, m_i its number of ratings.
    Raises ValueError when `multiplicity` does not have one weight per row.
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
    """Krippendorff's nominal alpha of `reliability[rater, item]`, a (raters, items) array of
    category codes with NaN where the rater did not rate."""
    data = np.atleast_2d(np.asarray(reliability, dtype=float))
    categories = np.unique(data[~np.isnan(data)])
    counts = (data[:, :, None] == categories).sum(axis=0)  # (item, category)
    return krippendorff_alpha_from_counts(counts)


# Position bias of a pairwise judge


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
    many of each agree with the human. A negative difference means stuck judgments are worse
    (the judge-in-both-orders check of Lee et al. 2023, RLAIF). Raises nothing."""
    difference = two_proportion_test(agree_free, n_free_gold, agree_stuck, n_stuck_gold)
    return PositionBias(
        stuck_share=wilson_interval(n_stuck, n_labels),
        agreement_stuck=difference.second,
        agreement_free=difference.first,
        difference=difference,
    )
