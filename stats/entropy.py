"""Shannon entropy of a judge's probabilities: the uncertainty that review sampling oversamples."""

import math
from collections.abc import Iterable


def entropy_bits(probabilities: Iterable[float]) -> float:
    """Shannon (1948) entropy -sum(p log2 p) in bits of a distribution given as probabilities
    (zeros contribute nothing): 1 for a fair coin, log2(3) at most for three verdicts.

    For a binary judgment pass (p, 1 - p). Probabilities at or below 0 are skipped, so this
    raises nothing; the caller checks that they sum to 1.
    """
    total = 0.0  # a plain loop: called once per label on import, where a generator costs double
    for p in probabilities:
        if p > 0:
            total -= p * math.log2(p)
    return total
