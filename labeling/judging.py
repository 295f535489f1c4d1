"""Position-debiased pairwise judgments (RLAIF, Lee et al. 2023). Pure arithmetic.

Every pair is judged twice, with the responses in both orders. `p_a_first` is P(A) when A is shown
first; `p_a_second` is P(A) when A is shown second, i.e. the probability of the *second* option in
the swapped prompt. Their mean removes the judge's position preference from the estimate.
"""

import math
from collections import Counter
from dataclasses import dataclass

from stats import entropy_bits


@dataclass(frozen=True)
class Judgment:
    p_a_first: float
    p_a_second: float
    p_a: float
    confidence: float
    margin: float
    entropy: float
    position_stuck: bool
    choice: str


def choice_of(p_a: float) -> str:
    return "A" if p_a > 0.5 else "B" if p_a < 0.5 else "tie"


def combine_orders(p_a_first: float, p_a_second: float) -> Judgment:
    """Combine P(A) from the original order and from the swapped order."""
    p_a = (p_a_first + p_a_second) / 2
    # In the original order the judge picks the first position when p_a_first > .5; in the
    # swapped order A is second, so it picks the first position when p_a_second < .5.
    picks_first = (p_a_first > 0.5, p_a_second < 0.5)
    picks_second = (p_a_first < 0.5, p_a_second > 0.5)
    stuck = (picks_first[0] and picks_first[1]) or (picks_second[0] and picks_second[1])
    return Judgment(
        p_a_first=p_a_first,
        p_a_second=p_a_second,
        p_a=p_a,
        confidence=max(p_a, 1 - p_a),
        margin=abs(2 * p_a - 1),
        entropy=entropy_bits((p_a, 1 - p_a)),
        position_stuck=stuck,
        choice=choice_of(p_a),
    )


@dataclass(frozen=True)
class Ensemble:
    members: int
    p_a: float
    p_a_std: float
    disagreement: float
    choice: str


def combine_principles(p_as: list[float]) -> Ensemble:
    """Combine one item's debiased P(A) under several principles (or critics)."""
    if not p_as:
        raise ValueError("an ensemble needs at least one member")
    mean = sum(p_as) / len(p_as)
    std = math.sqrt(sum((p - mean) ** 2 for p in p_as) / len(p_as))
    votes = Counter(choice_of(p) for p in p_as)
    # Disagreement is measured against the members' majority vote; the combined choice comes
    # from the mean probability, which weighs confident members more.
    majority_votes = max(votes.values())
    disagreement = 1 - majority_votes / len(p_as)
    return Ensemble(len(p_as), mean, std, disagreement, choice_of(mean))
