"""One entropy for every judge: scipy's on the same distributions, in bits."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import entropy as scipy_entropy

from stats.entropy import entropy_bits


@given(st.lists(st.floats(min_value=0.0, max_value=1.0), min_size=1, max_size=6))
def test_entropy_equals_scipy_in_bits(weights):
    total = sum(weights)
    if total <= 0:
        return
    probabilities = [w / total for w in weights]
    value = entropy_bits(probabilities)
    assert value == pytest.approx(scipy_entropy(probabilities, base=2), abs=1e-12)
    assert -1e-12 <= value <= math.log2(len(probabilities)) + 1e-12


def test_binary_and_three_way_edges():
    """The pairwise judge passes (p, 1 - p); the red-team judge its three verdict probabilities."""
    assert entropy_bits((0.0, 1.0)) == entropy_bits((1.0, 0.0)) == 0.0
    assert entropy_bits((0.5, 0.5)) == pytest.approx(1.0)
    assert entropy_bits((0.7, 0.3)) == pytest.approx(-(0.7 * math.log2(0.7) + 0.3 * math.log2(0.3)))
    assert entropy_bits((1 / 3, 1 / 3, 1 / 3)) == pytest.approx(math.log2(3))
    assert entropy_bits(()) == 0.0
