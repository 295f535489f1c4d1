"""Parse item files (JSONL or CSV) into records. Pure: bytes in, records and problems out.

Accepted rows (JSON object per line, or CSV columns of the same names):
- single response, for critique: `prompt` + `response`;
- pair, for preference: `prompt` + `response_a` + `response_b` (optional `preferred`: A or B);
- pair with a human label: `prompt` + `chosen` + `rejected`, or only `chosen` + `rejected` as whole
  conversations in the `\\n\\nHuman: ...\\n\\nAssistant: ...` format of public harmlessness sets
  (the shared turns become the prompt).
`prompt` is text or a list of chat messages. Metadata: id, domain, harm_category, locale,
high_stakes, source; any other field is kept in `metadata`.

For human-labelled pairs the chosen reply is put in position A or B by a hash of the row, so a
judge that always picks one position cannot look right by accident.
"""

import csv
import hashlib
import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

MAX_TEXT = 100_000
MAX_REPORTED = 50
KNOWN = {
    "id",
    "prompt",
    "response",
    "response_a",
    "response_b",
    "preferred",
    "chosen",
    "rejected",
    "domain",
    "harm_category",
    "locale",
    "high_stakes",
    "source",
    "metadata",
}
_TURN = re.compile(r"\n\n(Human|Assistant): ")
_ROLES = {"Human": "user", "Assistant": "assistant"}
_LOCALE = re.compile(r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$")


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


def split_conversation(text: str) -> list[dict[str, str]]:
    """`\\n\\nHuman: hi\\n\\nAssistant: hello` -> chat messages."""
    parts = _TURN.split(text)
    if parts[0].strip():
        raise RowProblem("conversation must start with '\\n\\nHuman: '")
    messages = []
    for role, content in zip(parts[1::2], parts[2::2], strict=True):
        messages.append({"role": _ROLES[role], "content": content})
    if not messages:
        raise RowProblem("no 'Human:' / 'Assistant:' turns found")
    return messages


def _as_prompt(value: Any) -> list[dict[str, str]]:
    if isinstance(value, str):
        if not value.strip():
            raise RowProblem("prompt is empty")
        if value.startswith("\n\nHuman: "):
            return split_conversation(value)
        return [{"role": "user", "content": value}]
    if isinstance(value, list) and value:
        for index, message in enumerate(value):
            if (
                not isinstance(message, dict)
                or message.get("role") not in {"system", "user", "assistant"}
                or not isinstance(message.get("content"), str)
            ):
                raise RowProblem(f"prompt[{index}] must be {{role, content}} with a known role")
        return [{"role": m["role"], "content": m["content"]} for m in value]
    raise RowProblem("prompt must be text or a list of chat messages")


def _text(row: dict, name: str) -> str:
    value = row.get(name)
    if not isinstance(value, str) or not value.strip():
        raise RowProblem(f"{name} must be non-empty text")
    if len(value) > MAX_TEXT:
        raise RowProblem(f"{name} is longer than {MAX_TEXT} characters")
    return value


def _split_pair(chosen: str, rejected: str) -> tuple[list[dict[str, str]], str, str]:
    chosen_turns, rejected_turns = split_conversation(chosen), split_conversation(rejected)
    if chosen_turns[-1]["role"] != "assistant" or rejected_turns[-1]["role"] != "assistant":
        raise RowProblem("chosen and rejected must end with an Assistant turn")
    if chosen_turns[:-1] != rejected_turns[:-1]:
        raise RowProblem("chosen and rejected must share every turn but the last")
    return chosen_turns[:-1], chosen_turns[-1]["content"], rejected_turns[-1]["content"]


def _chosen_position(*texts: str) -> str:
    digest = hashlib.sha256("\x1f".join(texts).encode()).digest()
    return "A" if digest[0] % 2 == 0 else "B"


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if value in (None, ""):
        return False
    if isinstance(value, str) and value.strip().lower() in {"1", "true", "yes", "y"}:
        return True
    if isinstance(value, str) and value.strip().lower() in {"0", "false", "no", "n"}:
        return False
    raise RowProblem(f"high_stakes must be true or false (got {value!r})")


def record_from_row(row: dict[str, Any], line: int) -> ItemRecord:
    if "chosen" in row or "rejected" in row:
        chosen, rejected = _text(row, "chosen"), _text(row, "rejected")
        if "prompt" in row:
            prompt = _as_prompt(row["prompt"])
        else:
            prompt, chosen, rejected = _split_pair(chosen, rejected)
        position = _chosen_position(json.dumps(prompt), chosen, rejected)
        a, b = (chosen, rejected) if position == "A" else (rejected, chosen)
        record = ItemRecord(line, "pair", prompt, a, b, human_choice=position)
    elif "response_a" in row or "response_b" in row:
        record = ItemRecord(
            line,
            "pair",
            _as_prompt(row.get("prompt")),
            _text(row, "response_a"),
            _text(row, "response_b"),
        )
        preferred = row.get("preferred") or ""
        if preferred not in ("", "A", "B"):
            raise RowProblem(f"preferred must be A or B (got {preferred!r})")
        record.human_choice = preferred
    elif "response" in row:
        record = ItemRecord(line, "single", _as_prompt(row.get("prompt")), _text(row, "response"))
    else:
        raise RowProblem("needs prompt+response, prompt+response_a+response_b, or chosen+rejected")
    record.external_id = str(row.get("id") or "")[:200]
    for name in ("domain", "harm_category", "source"):
        value = row.get(name) or ""
        if not isinstance(value, str) or len(value) > 100:
            raise RowProblem(f"{name} must be text of at most 100 characters")
        setattr(record, name, value.strip())
    locale = row.get("locale") or ""
    if locale and (not isinstance(locale, str) or not _LOCALE.match(locale)):
        raise RowProblem(f"locale must be a BCP-47 tag like de-DE (got {locale!r})")
    record.locale = locale
    record.high_stakes = _flag(row.get("high_stakes"))
    metadata = row.get("metadata") or {}
    if isinstance(metadata, str):
        try:
            metadata = json.loads(metadata)
        except json.JSONDecodeError:
            raise RowProblem("metadata must be a JSON object") from None
    if not isinstance(metadata, dict):
        raise RowProblem("metadata must be a JSON object")
    extra = {k: v for k, v in row.items() if k not in KNOWN and v not in (None, "")}
    record.metadata = {**extra, **metadata}
    return record


def _jsonl_rows(data: bytes) -> Iterator[tuple[int, Any]]:
    for number, raw in enumerate(data.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            yield number, json.loads(raw)
        except json.JSONDecodeError as error:
            yield number, RowProblem(f"not valid JSON ({error.msg} at column {error.colno})")
        except UnicodeDecodeError:
            yield number, RowProblem("not valid UTF-8")


def _csv_rows(text: str) -> Iterator[tuple[int, Any]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    for row in reader:
        if None in row:
            yield reader.line_num, RowProblem("more cells than header columns")
            continue
        yield reader.line_num, {k.strip(): v for k, v in row.items() if k}


def detect_format(filename: str, data: bytes) -> str:
    name = filename.lower()
    for suffix in (".jsonl", ".json", ".ndjson"):
        if name.endswith(suffix) or name.endswith(suffix + ".gz"):
            return "jsonl"
    if name.endswith(".csv") or name.endswith(".csv.gz"):
        return "csv"
    return "jsonl" if data.lstrip()[:1] == b"{" else "csv"


@dataclass
class ParseResult:
    records: list
    problems: list[str]
    problem_count: int


def parse_items(
    data: bytes, fmt: str, *, row_parser: Callable[[dict, int], Any] | None = None
) -> ParseResult:
    """Every row becomes a record or a numbered problem (the first MAX_REPORTED are kept).
    `row_parser(row, line)` builds a record or raises RowProblem (default: item records)."""
    row_parser = row_parser or record_from_row
    if data[:2] == b"\x1f\x8b":
        import gzip

        data = gzip.decompress(data)
    records: list = []
    problems: list[str] = []
    count = 0
    if fmt == "csv":
        try:
            rows: Iterator[tuple[int, Any]] = _csv_rows(data.decode("utf-8-sig"))
        except UnicodeDecodeError as error:
            return ParseResult([], [f"byte {error.start}: the file is not UTF-8"], 1)
    else:
        rows = _jsonl_rows(data)
    try:
        for line, row in rows:
            try:
                if isinstance(row, RowProblem):
                    raise row
                if not isinstance(row, dict):
                    raise RowProblem("each line must be a JSON object")
                records.append(row_parser(row, line))
            except RowProblem as problem:
                count += 1
                if len(problems) < MAX_REPORTED:
                    problems.append(f"line {line}: {problem}")
    except (UnicodeDecodeError, csv.Error) as error:
        count += 1
        problems.append(f"the file cannot be read as {fmt}: {error}")
    if not records and not count:
        count, problems = 1, ["the file holds no rows"]
    return ParseResult(records, problems, count)
