"""Holm's adjustment: statsmodels' on the known p-values, NaN kept out of the count."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from statsmodels.stats.multitest import multipletests

from stats.multiple import holm


def test_holm_keeps_nan_and_order():
    adjusted = holm([0.04, float("nan"), 0.01])
    assert adjusted[0] == pytest.approx(0.04) and math.isnan(adjusted[1])
    assert adjusted[2] == pytest.approx(0.02)


def _holm_by_hand(p_values: list[float]) -> list[float]:
    """Holm (1979) step-down, written out: the k-th smallest of m is multiplied by m - k + 1,
    then made monotone and capped at 1."""
    order = sorted(range(len(p_values)), key=lambda i: p_values[i])
    adjusted, running = [0.0] * len(p_values), 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (len(p_values) - rank) * p_values[i]))
        adjusted[i] = running
    return adjusted


p_value = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)


@given(st.lists(st.one_of(p_value, st.sampled_from([0.01, 0.05, float("nan")])), max_size=30))
def test_holm_equals_statsmodels_and_the_step_down_rule_on_the_known_p_values(p_values):
    """Ties, zeros, ones and NaN included: NaN stays NaN and the rest is adjusted among itself."""
    adjusted = holm(p_values)
    assert len(adjusted) == len(p_values)
    known = [i for i, p in enumerate(p_values) if not math.isnan(p)]
    assert all(math.isnan(adjusted[i]) for i in set(range(len(p_values))) - set(known))
    if not known:
        return
    expected = multipletests([p_values[i] for i in known], method="holm")[1]
    got = [adjusted[i] for i in known]
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=0)
    np.testing.assert_allclose(got, _holm_by_hand([p_values[i] for i in known]), rtol=1e-12)
    assert all(p <= q <= 1.0 for p, q in zip([p_values[i] for i in known], got, strict=True))


def test_holm_of_nothing_is_nothing():
    assert holm([]) == [] and all(map(math.isnan, holm([float("nan")] * 3)))
