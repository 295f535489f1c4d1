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

Hostile files are normal input: the file is read as a stream with a cap on its (unpacked) bytes
and rows, and a row is refused, with its line, when any of its texts cannot be stored (NUL,
unpaired surrogates: cai_audit/text.py) or when a prompt, reply or turn is blank.
"""

import codecs
import csv
import hashlib
import io
import json
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from cai_audit.errors import ImportProblems
from cai_audit.text import MAX_DEPTH, storable_text_problem, text_is_blank
from cai_audit.uploads import ImportSource, import_stream

MAX_TEXT = 100_000
MAX_REPORTED = 50
# Defaults for callers that pass no limits; the services pass the CAI_IMPORT_* settings.
DEFAULT_MAX_BYTES = 100_000_000
DEFAULT_MAX_ROWS = 200_000
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


def _turns_check(messages: list[dict[str, str]], what: str) -> list[dict[str, str]]:
    """Every turn must say something: a blank turn gives the model nothing to answer or judge."""
    if not messages:
        raise RowProblem(f"{what} has no turns")
    for index, message in enumerate(messages):
        if text_is_blank(message["content"]):
            raise RowProblem(f"{what}[{index}] ({message['role']}) is blank")
    return messages


def _as_prompt(value: Any) -> list[dict[str, str]]:
    if isinstance(value, str):
        if text_is_blank(value):
            raise RowProblem("prompt is blank")
        if len(value) > MAX_TEXT:
            raise RowProblem(f"prompt is longer than {MAX_TEXT} characters")
        if value.startswith("\n\nHuman: "):
            return _turns_check(split_conversation(value), "prompt")
        return [{"role": "user", "content": value}]
    if isinstance(value, list) and value:
        for index, message in enumerate(value):
            if (
                not isinstance(message, dict)
                or message.get("role") not in {"system", "user", "assistant"}
                or not isinstance(message.get("content"), str)
            ):
                raise RowProblem(f"prompt[{index}] must be {{role, content}} with a known role")
        messages = [{"role": m["role"], "content": m["content"]} for m in value]
        if sum(len(m["content"]) for m in messages) > MAX_TEXT:
            raise RowProblem(f"prompt is longer than {MAX_TEXT} characters")
        return _turns_check(messages, "prompt")
    raise RowProblem("prompt must be text or a list of chat messages")


def _text(row: dict, name: str) -> str:
    value = row.get(name)
    if not isinstance(value, str) or text_is_blank(value):
        raise RowProblem(f"{name} must be non-empty text (not blank)")
    if len(value) > MAX_TEXT:
        raise RowProblem(f"{name} is longer than {MAX_TEXT} characters")
    return value


def _split_pair(chosen: str, rejected: str) -> tuple[list[dict[str, str]], str, str]:
    chosen_turns, rejected_turns = split_conversation(chosen), split_conversation(rejected)
    if chosen_turns[-1]["role"] != "assistant" or rejected_turns[-1]["role"] != "assistant":
        raise RowProblem("chosen and rejected must end with an Assistant turn")
    if chosen_turns[:-1] != rejected_turns[:-1]:
        raise RowProblem("chosen and rejected must share every turn but the last")
    for name, turns in (("chosen", chosen_turns), ("rejected", rejected_turns)):
        if text_is_blank(turns[-1]["content"]):
            raise RowProblem(f"the final Assistant reply of {name} is blank")
    prompt = _turns_check(chosen_turns[:-1], "the shared turns of chosen and rejected")
    return prompt, chosen_turns[-1]["content"], rejected_turns[-1]["content"]


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
        metadata = json_value(metadata, "metadata")
        if problem := storable_text_problem({"metadata": metadata}):
            raise RowProblem(problem)
    if not isinstance(metadata, dict):
        raise RowProblem("metadata must be a JSON object")
    extra = {k: v for k, v in row.items() if k not in KNOWN and v not in (None, "")}
    record.metadata = {**extra, **metadata}
    return record


def _no_constant(name: str):
    raise ValueError(f"{name} is not a JSON value")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is too large for a number")
    return value


# NaN, Infinity and 1e999 (infinite once read) are refused: jsonb cannot hold them.
_DECODER = json.JSONDecoder(parse_constant=_no_constant, parse_float=_finite_float)


def json_value(text: str | bytes, what: str = "") -> Any:
    """json.loads, with every way it can fail (bad syntax, invalid UTF-8, NaN and Infinity,
    numbers of over 4,300 digits, nesting deeper than Python's recursion limit) turned into a
    RowProblem."""
    prefix = f"{what} is " if what else ""
    try:
        return _DECODER.decode(text.decode("utf-8-sig") if isinstance(text, bytes) else text)
    except json.JSONDecodeError as error:
        raise RowProblem(f"{prefix}not valid JSON ({error.msg} at column {error.colno})") from None
    except UnicodeDecodeError:
        raise RowProblem(f"{prefix}not valid UTF-8") from None
    except RecursionError:
        raise RowProblem(f"{prefix}not valid JSON (nested too deeply)") from None
    except ValueError as error:
        reason = str(error).split(":")[0]
        raise RowProblem(f"{prefix}not valid JSON ({reason})") from None


_VISIBLE = re.compile(rb"\S")
_BLOCK = 1 << 20


def _jsonl_lines(stream: IO[bytes], block_size: int = _BLOCK) -> Iterator[tuple[int, bytes]]:
    """(line number, line) for each line that is not blank, read in 1 MB blocks: runs of blank
    lines are skipped at C speed (a gzip file of 100 MB of newlines costs well under a second,
    where a Python loop over each line took minutes). Lines end at \n; a lone \r also ends one."""
    number, pending = 0, []  # pending: the start of a line that goes on in the next block
    while block := stream.read(block_size):
        position = 0
        if pending:
            end = block.find(b"\n")
            if end == -1:
                pending.append(block)
                continue
            pending.append(block[:end])
            for raw in b"".join(pending).splitlines() or [b""]:
                number += 1
                yield number, raw
            pending, position = [], end + 1
        while found := _VISIBLE.search(block, position):
            start = max(position, block.rfind(b"\n", position, found.start()) + 1)
            number += block.count(b"\n", position, start)
            end = block.find(b"\n", found.start())
            if end == -1:
                pending = [block[start:]]
                break
            for raw in block[start:end].splitlines():
                number += 1
                yield number, raw
            position = end + 1
        else:  # the rest is blank; its last line may go on in the next block
            number += block.count(b"\n", position)
            tail = block[max(position, block.rfind(b"\n", position) + 1) :]
            pending = [tail] if tail else []
    for raw in b"".join(pending).splitlines():
        number += 1
        yield number, raw


def _jsonl_rows(stream: IO[bytes]) -> Iterator[tuple[int, Any, bool]]:
    """(line, row or RowProblem, whether the row may hold unstorable text). Strictly decoded JSON
    can hold NUL or a lone surrogate only through a \\u escape, and nest no deeper than it has
    brackets: rows without either skip the (slower) walk over every value."""
    for number, raw in _jsonl_lines(stream):
        if not raw.strip():
            continue
        suspect = b"\\u" in raw or raw.count(b"[") + raw.count(b"{") > MAX_DEPTH
        try:
            yield number, json_value(raw), suspect
        except RowProblem as problem:
            yield number, problem, False


class _Undecodable(Exception):
    def __init__(self, line: int):
        self.line = line


def _text_lines(stream: IO[bytes], block_size: int = _BLOCK) -> Iterator[str]:
    """Decoded lines with their endings (as csv wants them), decoded in 1 MB blocks; invalid
    UTF-8 raises _Undecodable with the number of the line it is on."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    line, carry = 1, ""
    while block := stream.read(block_size):
        pending = len(decoder.getstate()[0])
        try:
            text = carry + decoder.decode(block)
        except UnicodeDecodeError as error:
            before = max(0, error.start - pending)
            raise _Undecodable(line + block.count(b"\n", 0, before)) from None
        line += block.count(b"\n")
        lines = io.StringIO(text, newline="").readlines()
        # The last line may go on in the next block (a \r may be the first half of \r\n).
        carry = lines.pop() if lines and not lines[-1].endswith("\n") else ""
        yield from lines
    if carry:
        yield carry


def _csv_rows(stream: IO[bytes], *, max_lines: int) -> Iterator[tuple[int, Any, bool]]:
    reader = csv.reader(_text_lines(stream))
    columns: list[str] | None = None
    try:
        for cells in reader:
            if reader.line_num > max_lines:
                raise ImportProblems(
                    "Nothing was imported: the file has too many lines.",
                    problems=[f"the file has more than {max_lines:,} lines; the limit is "
                              f"{max_lines:,}"],
                )  # fmt: skip
            if not cells:
                continue
            if columns is None:
                columns = [name.strip() for name in cells]
                continue
            if len(cells) > len(columns):
                yield reader.line_num, RowProblem("more cells than header columns"), False
                continue
            row = dict(zip(columns, cells, strict=False))
            suspect = any("\x00" in cell for cell in cells)  # strict UTF-8: no surrogates
            yield reader.line_num, {name: row.get(name) for name in columns if name}, suspect
    except _Undecodable as error:
        message = "not valid UTF-8 (the file was not read past this line)"
        yield error.line, RowProblem(message), False
    except csv.Error as error:
        message = f"not valid CSV: {error} (the file was not read past this line)"
        yield reader.line_num, RowProblem(message), False


def detect_format(filename: str, head: bytes) -> str:
    """jsonl or csv, from the file name or else from the first bytes of the (unpacked) content."""
    name = filename.lower()
    for suffix in (".jsonl", ".json", ".ndjson"):
        if name.endswith(suffix) or name.endswith(suffix + ".gz"):
            return "jsonl"
    if name.endswith(".csv") or name.endswith(".csv.gz"):
        return "csv"
    return "jsonl" if head.lstrip()[:1] == b"{" else "csv"


@dataclass
class ParseResult:
    records: list
    problems: list[str]
    problem_count: int
    format: str = ""


def parse_items(
    data: ImportSource,
    fmt: str | None = None,
    *,
    row_parser: Callable[[dict, int], Any] | None = None,
    filename: str = "",
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_rows: int = DEFAULT_MAX_ROWS,
) -> ParseResult:
    """Every row becomes a record or a numbered problem (the first MAX_REPORTED are kept).
    `data`: bytes, a path or a binary file, gzipped or not; read as a stream. `fmt`: jsonl or
    csv, else detected from `filename` and the content. `row_parser(row, line)` builds a record
    or raises RowProblem (default: item records). Raises ImportProblems when the file unpacks to
    more than `max_bytes` bytes or holds more than `max_rows` rows, as soon as it does."""
    row_parser = row_parser or record_from_row
    records: list = []
    problems: list[str] = []
    count = rows_seen = 0
    with import_stream(data, limit=max_bytes) as stream:
        fmt = fmt or detect_format(filename, stream.peek(64))
        # A CSV row may span lines, but not ten: blank lines cost time without counting as rows.
        rows = _csv_rows(stream, max_lines=10 * max_rows) if fmt == "csv" else _jsonl_rows(stream)
        for line, row, suspect in rows:
            rows_seen += 1
            if rows_seen > max_rows:
                raise ImportProblems(
                    "Nothing was imported: the file has too many rows.",
                    problems=[f"the file holds more than {max_rows:,} rows; the limit is "
                              f"{max_rows:,}"],
                )  # fmt: skip
            try:
                if isinstance(row, RowProblem):
                    raise row
                if not isinstance(row, dict):
                    raise RowProblem("each line must be a JSON object")
                if suspect and (problem := storable_text_problem(row)):
                    raise RowProblem(problem)
                records.append(row_parser(row, line))
            except RowProblem as problem:
                count += 1
                if len(problems) < MAX_REPORTED:
                    problems.append(f"line {line}: {problem}")
    if not records and not count:
        count, problems = 1, ["the file holds no rows"]
    return ParseResult(records, problems, count, fmt)
