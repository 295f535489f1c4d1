"""Byte streams to numbered rows: JSONL lines and CSV records, read in 1 MB blocks so that huge
or hostile files cost little memory and time."""

import codecs
import csv
import io
import re
from collections.abc import Iterator
from typing import IO, Any

from cai_audit.errors import ImportProblems
from cai_audit.text import MAX_DEPTH

from .json_values import json_value
from .records import RowProblem

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


# The readers other importers build on (ingest reads label files with them).
jsonl_rows = _jsonl_rows
csv_rows = _csv_rows
