import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from labeling.judging import combine_orders, combine_principles

probability = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)


def test_debiasing_averages_the_two_orders():
    judgment = combine_orders(p_a_first=0.9, p_a_second=0.5)
    assert judgment.p_a == pytest.approx(0.7)
    assert judgment.confidence == pytest.approx(0.7)
    assert judgment.margin == pytest.approx(0.4)
    assert judgment.choice == "A"
    assert judgment.entropy == pytest.approx(-(0.7 * math.log2(0.7) + 0.3 * math.log2(0.3)))


def test_a_judge_that_always_picks_the_first_position_is_stuck_and_lands_near_half():
    # A first: picks A (0.8). A second: still picks the first slot, i.e. B (P(A)=0.2).
    judgment = combine_orders(p_a_first=0.8, p_a_second=0.2)
    assert judgment.position_stuck
    assert judgment.p_a == pytest.approx(0.5)
    assert judgment.choice == "tie"


def test_a_consistent_judge_is_not_stuck():
    assert not combine_orders(0.8, 0.7).position_stuck
    assert not combine_orders(0.1, 0.3).position_stuck
    assert combine_orders(0.3, 0.1).position_stuck is False  # B both times, whatever its slot
    assert combine_orders(0.4, 0.6).position_stuck  # picks the second slot both times


@given(probability, probability)
def test_debiased_probability_is_symmetric_under_swapping_the_pair(p_first, p_second):
    """Judging (B, A) instead of (A, B) gives 1 - P(A): the estimate has no position term."""
    forward = combine_orders(p_first, p_second)
    # Swapping the pair: B-first P(B)=1-p_second... i.e. P(B) with B first is 1 - p_second.
    backward = combine_orders(1 - p_second, 1 - p_first)
    assert backward.p_a == pytest.approx(1 - forward.p_a)
    assert backward.position_stuck == forward.position_stuck
    assert 0 <= forward.entropy <= 1
    assert forward.margin == pytest.approx(2 * forward.confidence - 1)


def test_ensemble_disagreement():
    ensemble = combine_principles([0.9, 0.8, 0.2])
    assert ensemble.members == 3
    assert ensemble.p_a == pytest.approx(0.6333, abs=1e-3)
    assert ensemble.choice == "A"
    assert ensemble.disagreement == pytest.approx(1 / 3)
    assert combine_principles([0.7, 0.7]).p_a_std == 0


def test_ensemble_disagreement_counts_votes_not_the_mean():
    ensemble = combine_principles([0.95, 0.45, 0.45])  # mean 0.62 says A, the votes say B
    assert ensemble.choice == "A"
    assert ensemble.disagreement == pytest.approx(1 / 3)
