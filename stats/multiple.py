"""Multiple comparisons: p-values adjusted when many keys (categories, principles) are tested."""

import math

import numpy as np


def holm(p_values: list[float]) -> list[float]:
    """Holm (1979) step-down adjusted p-values, in the input order, each in [0, 1].

    NaN p-values (a test that could not be run) stay NaN and do not count among the m tests.
    Computed by statsmodels' `multipletests(method="holm")`. Raises nothing.
    """
    # Imported here: statsmodels brings ~60 MB of modules that only this function needs, and
    # `stats` is imported by every web and export process.
    from statsmodels.stats.multitest import multipletests

    values = np.asarray(p_values, dtype=float)
    adjusted = [math.nan] * len(values)
    known = np.flatnonzero(~np.isnan(values))
    if len(known):
        corrected = multipletests(values[known], method="holm")[1]
        for position, value in zip(known, corrected, strict=True):
            adjusted[position] = float(value)
    return adjusted
