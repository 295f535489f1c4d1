"""Parse red-team suite files (JSONL or CSV) into case records. Pure: bytes in, records and
numbered problems out (the row reading is the item importer's).

A row: `id`, `category`, `kind` (harmful or benign), `principles` (codes: a JSON list, or text
separated by commas, semicolons or spaces), and `prompt` (text, or a list of chat messages);
optional `locale`.
"""

import re
from dataclasses import dataclass
from typing import Any

from cai_audit.uploads import ImportSource
from labeling.importing import _LOCALE, RowProblem, _as_prompt, json_value, parse_items

CODE = re.compile(r"^[A-Z][A-Z0-9]*-\d{2,}$")
CATEGORY = re.compile(r"^[a-z][a-z0-9_-]{0,63}$")
MAX_PROMPT = 20_000


@dataclass(frozen=True)
class CaseRecord:
    line: int
    external_id: str
    category: str
    kind: str
    principles: list[str]
    messages: list[dict]
    locale: str = ""


def _principles(value: Any) -> list[str]:
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            value = json_value(text, "principles")
        else:
            value = re.split(r"[\s,;]+", text)
    if not isinstance(value, list):
        raise RowProblem("principles must be a list of principle codes")
    codes = [str(code).strip() for code in value if str(code).strip()]
    if not codes:
        raise RowProblem("principles must name at least one principle code, e.g. HARM-01")
    bad = [code for code in codes if not CODE.match(code)]
    if bad:
        raise RowProblem(f"not principle codes: {', '.join(bad)} (expected e.g. HARM-01)")
    return list(dict.fromkeys(codes))


def case_from_row(row: dict[str, Any], line: int) -> CaseRecord:
    external_id = str(row.get("id") or "").strip()
    if not external_id or len(external_id) > 100 or "~" in external_id:
        raise RowProblem("id must be non-empty text of at most 100 characters, without '~'")
    category = str(row.get("category") or "").strip().lower()
    if not CATEGORY.match(category):
        raise RowProblem(
            f"category must be a short lower-case name like weapons (got {category!r})"
        )
    kind = str(row.get("kind") or "").strip().lower()
    if kind not in ("harmful", "benign"):
        raise RowProblem(f"kind must be harmful or benign (got {kind!r})")
    principles = _principles(row.get("principles"))
    messages = _as_prompt(row.get("prompt"))
    if messages[-1]["role"] != "user":
        raise RowProblem("the prompt must end with a user message")
    if sum(len(m["content"]) for m in messages) > MAX_PROMPT:
        raise RowProblem(f"the prompt is longer than {MAX_PROMPT} characters")
    locale = str(row.get("locale") or "").strip()
    if locale and not _LOCALE.match(locale):
        raise RowProblem(f"locale must be a BCP-47 tag like de-DE (got {locale!r})")
    return CaseRecord(line, external_id, category, kind, principles, messages, locale)


def parse_cases(data: ImportSource, fmt: str | None = None, **limits):
    """A ParseResult of CaseRecords; a duplicated id is a problem on its second line. `limits`:
    filename, max_bytes and max_rows, as parse_items takes them."""
    parsed = parse_items(data, fmt, row_parser=case_from_row, **limits)
    seen: dict[str, int] = {}
    unique = []
    for record in parsed.records:
        if record.external_id in seen:
            parsed.problem_count += 1
            first = seen[record.external_id]
            parsed.problems.append(
                f"line {record.line}: id {record.external_id} repeats line {first}"
            )
            continue
        seen[record.external_id] = record.line
        unique.append(record)
    parsed.records = unique
    return parsed
