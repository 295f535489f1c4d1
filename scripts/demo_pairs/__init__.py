"""The demo pairs' text, one module per principle (or group of principles), in the order the pairs
are written: a pair's id is its position, so the order of SECTIONS is part of the data. The first
rows are about illegal or unethical acts, because the demo's preference run judges its first 48
pairs under HARM-02.
"""

from . import (
    ai_identity_and_manipulation,
    demeaning_content,
    dismissive_refusals,
    falsehoods,
    illegal_acts_part1,
    illegal_acts_part2,
    physical_harm,
    private_information,
    self_harm,
)
from .rows import SOURCE

SECTIONS = (
    illegal_acts_part1,  # HARM-02
    illegal_acts_part2,  # HARM-02
    physical_harm,  # HARM-01
    demeaning_content,  # HARM-03
    self_harm,  # HARM-04
    private_information,  # HARM-05
    falsehoods,  # HON-01 / HON-02
    ai_identity_and_manipulation,  # HON-03 / HON-04
    dismissive_refusals,  # HELP-02
)


def demo_pairs() -> list[dict]:
    """Every section's pairs in order, each with its id (`cai-demo-001`, ...) first."""
    rows = [row for section in SECTIONS for row in section.PAIRS]
    return [{"id": f"cai-demo-{n:03d}", **row} for n, row in enumerate(rows, start=1)]


__all__ = ["SECTIONS", "SOURCE", "demo_pairs"]
