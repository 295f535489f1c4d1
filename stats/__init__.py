"""Statistics for the whole project, at the bottom of the house: plain numbers and numpy arrays in,
values with intervals out. No Django, no ORM; every app may import it, it imports no app.

- `proportions`: Estimate, Wilson interval, two proportions compared (Newcombe), drift, win rate.
- `agreement`: confusion matrix, Cohen's and Fleiss' kappa, Krippendorff's alpha, bootstrap
  intervals, position bias.
- `calibration`: reliability bins and expected calibration error.
- `survey`: Horvitz-Thompson and Hajek estimators for samples with unequal inclusion probabilities.
- `multiple`: Holm's adjustment for many tests.
- `entropy`: Shannon entropy in bits.

Cross-checked in tests/stats against scikit-learn, statsmodels and the `krippendorff` package.
"""

from .agreement import (
    PositionBias,
    bootstrap_interval,
    cohen_kappa,
    cohen_kappa_estimate,
    cohen_kappa_from_matrix,
    confusion_matrix,
    fleiss_kappa,
    kappa_estimate_from_matrix,
    kappa_interval_from_matrix,
    krippendorff_alpha_from_counts,
    krippendorff_alpha_nominal,
    position_bias,
)
from .calibration import (
    CalibrationBin,
    calibration_bin,
    calibration_from_bins,
    expected_calibration_error,
    reliability_bins,
)
from .entropy import entropy_bits
from .multiple import holm
from .proportions import (
    NAN,
    Z95,
    Estimate,
    ProportionDiff,
    two_proportion_drift,
    two_proportion_test,
    wilson_interval,
    win_rate,
)
from .survey import (
    hajek_rate,
    hajek_rate_from_sums,
    horvitz_thompson_from_sums,
    horvitz_thompson_rate,
)

__all__ = [
    "NAN",
    "Z95",
    "CalibrationBin",
    "Estimate",
    "PositionBias",
    "ProportionDiff",
    "bootstrap_interval",
    "calibration_bin",
    "calibration_from_bins",
    "cohen_kappa",
    "cohen_kappa_estimate",
    "cohen_kappa_from_matrix",
    "confusion_matrix",
    "entropy_bits",
    "expected_calibration_error",
    "fleiss_kappa",
    "hajek_rate",
    "hajek_rate_from_sums",
    "holm",
    "horvitz_thompson_from_sums",
    "horvitz_thompson_rate",
    "kappa_estimate_from_matrix",
    "kappa_interval_from_matrix",
    "krippendorff_alpha_from_counts",
    "krippendorff_alpha_nominal",
    "position_bias",
    "reliability_bins",
    "two_proportion_drift",
    "two_proportion_test",
    "wilson_interval",
    "win_rate",
]
