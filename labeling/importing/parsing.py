"""A whole file to records and numbered problems, within the byte and row caps."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cai_audit.errors import ImportProblems
from cai_audit.text import storable_text_problem
from cai_audit.uploads import ImportSource, import_stream

from .readers import _csv_rows, _jsonl_rows, detect_format
from .records import RowProblem
from .rows import record_from_row

MAX_REPORTED = 50
# Defaults for callers that pass no limits; the services pass the CAI_IMPORT_* settings.
DEFAULT_MAX_BYTES = 100_000_000
DEFAULT_MAX_ROWS = 200_000


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
