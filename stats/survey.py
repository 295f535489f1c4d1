"""Survey estimators: population and subgroup rates from a sample drawn with unequal inclusion
probabilities (the review app's sampling designs record each unit's pi).

Pure numpy. Each estimator has a form over sums a database can compute (`*_from_sums`) and an
array form that builds those sums and calls it.
"""

import numpy as np

from .proportions import NAN, Z95, Estimate


def horvitz_thompson_from_sums(
    n: int,
    sum_y_over_pi: float,
    sum_y_over_pi2: float,
    population_size: int,
    *,
    z: float = Z95,
) -> Estimate:
    """Horvitz-Thompson (1952) rate from n, S1 = sum(y/pi) and S2 = sum(y^2/pi^2) (= sum(y/pi^2)
    for binary y), with the variance of `horvitz_thompson_rate`.

    sum((n y_i/pi_i - S1)^2) = n^2 S2 - n S1^2, so the variance is (n S2 - S1^2)/(n-1)/N^2.
    n = 0 or N <= 0 gives Estimate(NaN, 0, 1, n); n = 1 an interval of [0, 1]. Raises nothing.
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
    """Population error rate from a sample with unequal inclusion probabilities (Horvitz &
    Thompson 1952). `errors` (0/1) and `inclusion_probability` (each in (0, 1]) are equal-length
    arrays over the sampled units; `population_size` is N.

    Point estimate: (1/N) sum(y_i / pi_i). Variance: the with-replacement (Hansen-Hurwitz 1943)
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
    """Hajek (1971) ratio estimate of a rate of binary y, weights w = 1/pi: r = sum(w y) / sum(w).

    The estimator for a subgroup, whose size is unknown and estimated by sum(w). Linearised
    with-replacement variance n/(n-1) sum(w^2 (y - r)^2) / sum(w)^2, where for binary y
    sum(w^2 (y - r)^2) = sum(w^2 y)(1 - 2r) + r^2 sum(w^2). Interval clipped to [0, 1]. n = 0 or
    sum(w) <= 0 gives Estimate(NaN, 0, 1, n). Raises nothing.
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
    """Rate of binary `y` over the sampled units given (a subgroup's), weighted by 1/pi (Hajek
    1971); `y` and `inclusion_probability` are equal-length arrays."""
    y = np.asarray(y, dtype=float)
    w = 1.0 / np.asarray(inclusion_probability, dtype=float)
    return hajek_rate_from_sums(
        len(y), float(w.sum()), float(w @ y), float((w * w) @ y), float(w @ w), z=z
    )
