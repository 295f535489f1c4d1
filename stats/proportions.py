"""Proportions with their intervals: one rate, two rates compared, and a win rate.

Pure numpy/scipy. Empty input gives a NaN value and an uninformative interval, never an exception.
"""

from dataclasses import dataclass

import numpy as np
from scipy.stats import norm

Z95 = 1.959963984540054  # two-sided 95% normal quantile
NAN = float("nan")


@dataclass(frozen=True)
class Estimate:
    """A value with its interval [low, high] and the number of units n it rests on.

    For a proportion all three are in [0, 1] (value NaN when n = 0); other statistics (kappa,
    alpha) keep their own range.
    """

    value: float
    low: float
    high: float
    n: int


def wilson_interval(successes: int, n: int, *, z: float = Z95) -> Estimate:
    """Proportion successes/n with its Wilson score interval (Wilson 1927).

    Good at small n and near 0 or 1, where the normal (Wald) interval fails. `z` is the normal
    quantile (1.96 for 95%). n = 0 gives Estimate(NaN, 0, 1, 0). Raises nothing.
    """
    if n == 0:
        return Estimate(NAN, 0.0, 1.0, 0)
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return Estimate(p, max(0.0, centre - half), min(1.0, centre + half), n)


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
    """Difference p2 - p1 of two independent proportions agree1/n1 and agree2/n2.

    Interval: Newcombe's hybrid score method (Newcombe 1998, his method 10), built from the two
    Wilson intervals. p-value: two-sided z-test with the pooled proportion; 1 when both sides are
    all 0 or all 1. With an empty side: NaN difference and p-value, interval [-1, 1]. Raises
    nothing.
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
    p_value = float(2 * norm.sf(abs(difference) / se)) if se > 0 else 1.0
    return ProportionDiff(
        difference, float(max(-1.0, low)), float(min(1.0, high)), p_value, first, second
    )


def two_proportion_drift(
    previous_agree: int, previous_n: int, current_agree: int, current_n: int, *, alpha: float = 0.05
) -> tuple[float, bool]:
    """One-sided pooled two-proportion z-test that agreement dropped since the previous period.

    Returns (p-value, alert), alert when p < alpha; (NaN, False) when a period is empty and
    (1.0, False) when both periods are all 0 or all 1. Raises nothing.
    """
    if previous_n == 0 or current_n == 0:
        return NAN, False
    p1, p2 = previous_agree / previous_n, current_agree / current_n
    pooled = (previous_agree + current_agree) / (previous_n + current_n)
    se = np.sqrt(pooled * (1 - pooled) * (1 / previous_n + 1 / current_n))
    if se == 0:
        return 1.0, False
    z = (p1 - p2) / se
    p_value = float(norm.sf(z))
    return p_value, p_value < alpha


def win_rate(p_x_first: list[float], p_x_second: list[float]) -> Estimate:
    """Share of prompts on which model X beats baseline Y, judged in both orders.

    `p_x_first[i]` and `p_x_second[i]` are the judge's P(X better) on prompt i with X shown first
    and second; their mean cancels the position bias. A win counts 1, a tie (exactly 0.5) a
    half. The interval is Wilson's (1927) with the rounded score as successes. Raises ValueError
    when the two lists differ in length; empty lists give a NaN value.
    """
    if len(p_x_first) != len(p_x_second):
        raise ValueError("Both orders must judge the same prompts.")
    score = 0.0
    for first, second in zip(p_x_first, p_x_second, strict=True):
        p = (first + second) / 2
        score += 1.0 if p > 0.5 else 0.5 if p == 0.5 else 0.0
    n = len(p_x_first)
    estimate = wilson_interval(round(score), n)
    return Estimate(score / n if n else NAN, estimate.low, estimate.high, n)
