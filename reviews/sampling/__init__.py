"""Sampling designs for human spot checks, with exact inclusion probabilities. Pure numpy.

`allocation` says how many units each stratum gets; `designs` draws them.

Every design returns, for each sampled unit, its inclusion probability pi: the chance the design
had of picking it. Weighting each reviewed label by 1/pi (Horvitz-Thompson) gives unbiased
population estimates even when the sample favours uncertain or high-stakes labels, which is why no
design here is a plain top-k. Every unit's pi is positive and the recorded one is the true one;
a design that would leave some unit at pi = 0 is refused with a ValueError that says why.
Each design has a `*_probabilities` twin that returns pi for every unit of the population, so the
stated probabilities can be checked against simulated selection frequencies.

Designs:
- `simple_random`: n of N without replacement, pi = n/N.
- `stratified`: an expected size t_h per stratum (proportional, equal or Neyman allocation with a
  minimum; fractional), rounded at random to an integer n_h with E[n_h] = t_h and sum n_h = n
  (systematic rounding of the fractional parts over a random order of the strata: Madow 1949;
  the fixed-size unbiased rounding of Cox 1987), then simple random within each stratum. So
  pi = t_h / N_h: with more strata than the sample size every stratum still has pi > 0.
- `pps`: probability proportional to size (a score or an oversampling weight) with a floor, by
  systematic sampling over a random order (Madow 1949; Hartley & Rao 1962): fixed size,
  pi = n * size / sum(size), capped at 1 (the capped units taken with certainty).
- `hybrid`: a PPS share (to find errors) and a stratified share (to estimate error rates) drawn
  independently and merged; pi = 1 - (1 - pi_1)(1 - pi_2).
"""

from .allocation import (
    ALLOCATIONS,
    NEYMAN_MIN_SD,
    Allocation,
    allocate,
    allocation_targets,
)
from .designs import (
    Sample,
    hybrid,
    hybrid_probabilities,
    pps,
    pps_probabilities,
    simple_random,
    stratified,
    stratified_probabilities,
)

__all__ = [
    "ALLOCATIONS",
    "NEYMAN_MIN_SD",
    "Allocation",
    "Sample",
    "allocate",
    "allocation_targets",
    "hybrid",
    "hybrid_probabilities",
    "pps",
    "pps_probabilities",
    "simple_random",
    "stratified",
    "stratified_probabilities",
]
