"""Calibration of a judge's confidence: reliability bins and expected calibration error.

Pure numpy. The per-bin form (`calibration_from_bins`) takes sums a database can compute, so a
dashboard never loads one row per judgment.
"""

from dataclasses import dataclass

import numpy as np

from .proportions import NAN


@dataclass(frozen=True)
class CalibrationBin:
    """One reliability bin (low, high] of AI confidence: how many judgments fell in it, their
    mean confidence and the observed rate at which humans agreed (both NaN when it is empty)."""

    low: float
    high: float
    count: int
    mean_confidence: float
    observed_rate: float


def calibration_bin(confidence, *, bins: int = 10) -> np.ndarray:
    """Bin of each confidence: (b/bins, (b+1)/bins], 0 in the first bin, out-of-range clipped.

    The SQL twin is GREATEST(LEAST(CEIL(confidence * bins) - 1, bins - 1), 0); both compute in
    double precision, so a row lands in the same bin either way. Returns int64, input's shape.
    """
    confidence = np.asarray(confidence, dtype=float)
    return np.clip(np.ceil(confidence * bins) - 1, 0, bins - 1).astype(np.int64)


def calibration_from_bins(
    count, sum_confidence, sum_correct, *, bins: int = 10
) -> tuple[list[CalibrationBin], float]:
    """Reliability bins and expected calibration error (Naeini et al. 2015) from per-bin sums.

    Each argument has one entry per bin, in bin order (bin b covers (b/bins, (b+1)/bins], see
    `calibration_bin`): the number of judgments, the sum of their AI confidences, and how many
    humans agreed with. ECE is the count-weighted mean of |mean confidence - observed rate|; NaN
    when there is no judgment. Raises ValueError when an argument has not `bins` entries.
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
    """AI confidence bins against the observed rate at which humans agree with the AI.

    `confidence` and `correct` (0/1) are equal-length arrays, one entry per judgment."""
    return _calibration(confidence, correct, bins)[0]


def expected_calibration_error(confidence, correct, *, bins: int = 10) -> float:
    """Expected calibration error of equal-length `confidence` and `correct` (0/1) arrays."""
    return _calibration(confidence, correct, bins)[1]
