"""What the parser yields: one item record per accepted row, or a RowProblem for a refused one."""

from dataclasses import dataclass, field
from typing import Any


@dataclass
class ItemRecord:
    line: int
    kind: str  # "single" or "pair"
    prompt: list[dict[str, str]]
    response_a: str
    response_b: str = ""
    human_choice: str = ""  # "A", "B" or "" when no human label
    external_id: str = ""
    domain: str = ""
    harm_category: str = ""
    locale: str = ""
    high_stakes: bool = False
    source: str = ""
    metadata: dict[str, Any] = field(default_factory=dict)


class RowProblem(Exception):
    pass
