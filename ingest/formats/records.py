"""What the row formats yield: one label record per accepted row, and the context a row is read
in (the constitution's principles, the mappings given at import, the judges, the category map)."""

import difflib
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from labeling.importing import ItemRecord, RowProblem

__all__ = ["LabelRecord", "PrincipleFacts", "RowContext", "RowProblem"]

_NOT_WORD = re.compile(r"[^\w]+")


def normalised(text: str) -> str:
    """Lower case, punctuation and runs of spaces folded: how a critique request is compared."""
    return _NOT_WORD.sub(" ", text.lower()).strip()


@dataclass(frozen=True)
class PrincipleFacts:
    code: str
    category: str
    locales: frozenset[str]  # locales with an addendum
    critique_request: str


@dataclass
class LabelRecord:
    """One row's label: the item it judged, the principle and version it was judged under, who
    judged it, and the kind's own fields (`values`, named as the label model's fields)."""

    line: int
    kind: str  # preference, critique or safety
    item: ItemRecord
    principle: PrincipleFacts
    version: int
    judge: str  # a Judge name
    external_id: str = ""
    made_at: datetime | None = None
    rationale: str = ""
    values: dict[str, Any] = field(default_factory=dict)


@dataclass
class RowContext:
    """Everything a row is checked against, loaded once per import (or streamed batch).
    `principles`: version number -> code -> facts; `code_map` / `version_map`: the mappings
    given at import (OLD-7=HARM-02, v1=2); `categories`: classifier code -> (harm category,
    verdict class) of the source."""

    principles: dict[int, dict[str, PrincipleFacts]]
    default_version: int
    default_principle: str = ""
    default_judge: str = ""
    judges: frozenset[str] = frozenset()
    code_map: dict[str, str] = field(default_factory=dict)
    version_map: dict[int, int] = field(default_factory=dict)
    categories: dict[str, tuple[str, str]] = field(default_factory=dict)
    _requests: dict[int, dict[str, str]] = field(default_factory=dict)

    def version_of(self, value: Any) -> int:
        if value in (None, ""):
            return self.default_version
        text = str(value).strip().lower().removeprefix("v")
        if not text.isdigit() or len(text) > 9:
            raise RowProblem(f"constitution_version must be a version number (got {value!r})")
        number = self.version_map.get(int(text), int(text))
        if number not in self.principles:
            known = ", ".join(f"v{n}" for n in sorted(self.principles)) or "none"
            raise RowProblem(
                f"unknown constitution version v{text} (known: {known}; map it with v{text}=N)"
            )
        return number

    def principle_of(self, value: Any, version: int) -> PrincipleFacts:
        code = value if value not in (None, "") else self.default_principle
        if not code:
            raise RowProblem("principle is missing (give a principle column or a default)")
        if not isinstance(code, str) or len(code) > 32:
            raise RowProblem(f"principle must be a code of at most 32 characters (got {code!r})")
        code = self.code_map.get(code.strip(), code.strip())
        facts = self.principles[version].get(code)
        if facts is None:
            raise RowProblem(f"unknown principle {code!r} in v{version} (map it with {code}=CODE)")
        return facts

    def principle_by_request(self, request: str, version: int) -> PrincipleFacts:
        """The principle whose critique request the row's critique request is (normalised; a
        near match by difflib), else RowProblem naming the closest codes."""
        requests = self._requests.get(version)
        if requests is None:
            requests = {
                normalised(facts.critique_request): code
                for code, facts in self.principles[version].items()
            }
            self._requests[version] = requests
        wanted = normalised(request)
        if wanted in requests:
            return self.principles[version][requests[wanted]]
        close = difflib.get_close_matches(wanted, list(requests), n=3, cutoff=0.0)
        scored = [
            (difflib.SequenceMatcher(None, wanted, text).ratio(), requests[text]) for text in close
        ]
        scored.sort(reverse=True)
        clear = len(scored) == 1 or scored[0][0] - scored[1][0] >= 0.02  # not a near tie
        if scored and scored[0][0] >= 0.9 and clear:
            return self.principles[version][scored[0][1]]
        candidates = ", ".join(f"{code} ({ratio:.0%})" for ratio, code in scored) or "none"
        raise RowProblem(
            f"the critique request matches no principle of v{version}; closest: {candidates} "
            "(give a principle column)"
        )

    def judge_of(self, value: Any) -> str:
        name = value if value not in (None, "") else self.default_judge
        if not name:
            raise RowProblem("judge is missing (give a judge column or a default judge)")
        if not isinstance(name, str) or name.strip() not in self.judges:
            raise RowProblem(f"unknown judge {name!r} (add it on the judges page first)")
        return name.strip()
