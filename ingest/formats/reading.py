"""A label file to numbered rows, whatever its format: JSONL and CSV through labeling.importing's
readers (gzip allowed, bytes capped as they unpack), Parquet through pyarrow in bounded record
batches. Rows are yielded one at a time, so a file of a million rows is never held in memory."""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from cai_audit.errors import ImportProblems
from cai_audit.uploads import ImportSource, import_stream, size_label, too_large
from labeling.importing import detect_format
from labeling.importing.readers import csv_rows, jsonl_rows

FORMATS = ("jsonl", "csv", "parquet")
PARQUET_MAGIC = b"PAR1"
PARQUET_BATCH = 8192


def format_of(filename: str, head: bytes) -> str:
    name = filename.lower()
    if name.endswith(".parquet") or head[:4] == PARQUET_MAGIC:
        return "parquet"
    return detect_format(filename, head)


def _too_many(max_rows: int) -> ImportProblems:
    return ImportProblems(
        "Nothing was imported: the file has too many rows.",
        problems=[f"the file holds more than {max_rows:,} rows; the limit is {max_rows:,}"],
    )


def _parquet_rows(stream, *, max_bytes: int, max_rows: int) -> Iterator[tuple[int, Any, bool]]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(stream, memory_map=isinstance(stream, str))
    except (pa.ArrowException, OSError) as error:
        raise ImportProblems(
            "Nothing was imported: the file is not a valid Parquet file.", problems=[str(error)]
        ) from None
    meta = parquet.metadata
    if meta.num_rows > max_rows:
        raise _too_many(max_rows)
    # Columns are compressed inside the file: cap what they unpack to, as for gzip.
    unpacked = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
    if unpacked > max_bytes:
        raise too_large(limit=max_bytes, decompressed=True)
    line = 0
    try:
        for batch in parquet.iter_batches(batch_size=PARQUET_BATCH):
            for row in batch.to_pylist():
                line += 1
                yield line, row, True
    except (pa.ArrowException, OSError) as error:
        raise ImportProblems(
            "Nothing was imported: the Parquet file could not be read.",
            problems=[f"after row {line}: {error}"],
        ) from None


def _path_of(data: ImportSource) -> str | None:
    if isinstance(data, os.PathLike):
        return os.fspath(data)
    temporary = getattr(data, "temporary_file_path", None)  # a large Django upload
    return temporary() if callable(temporary) else None


@contextmanager
def label_rows(
    data: ImportSource, fmt: str | None, *, filename: str, max_bytes: int, max_rows: int
) -> Iterator[tuple[str, Iterator[tuple[int, Any, bool]]]]:
    """(format, iterator of (row number, row dict or RowProblem, whether the row may hold
    unstorable text)). Raises ImportProblems for a file over `max_bytes` (unpacked) or with more
    than `max_rows` rows, as soon as it is seen; the CSV and JSONL row count is checked by the
    caller as rows arrive (see ingest.services.imports)."""
    if fmt not in (None, "", *FORMATS):
        raise ImportProblems("Unknown format.", problems=[f"format must be one of {FORMATS}"])
    path = _path_of(data)
    if path and (fmt == "parquet" or (not fmt and str(path).lower().endswith(".parquet"))):
        size = os.path.getsize(path)
        if size > max_bytes:
            raise too_large(limit=max_bytes, size=size)
        # Memory-mapped: only the record batch being read is in memory.
        yield "parquet", _parquet_rows(path, max_bytes=max_bytes, max_rows=max_rows)
        return
    with import_stream(data, limit=max_bytes) as stream:
        fmt = fmt or format_of(filename, stream.peek(64))
        if fmt == "parquet":
            # pyarrow needs to seek (the footer holds the schema): read the capped bytes.
            import pyarrow as pa

            content = stream.read()
            yield (
                fmt,
                _parquet_rows(pa.BufferReader(content), max_bytes=max_bytes, max_rows=max_rows),
            )
        elif fmt == "csv":
            yield fmt, csv_rows(stream, max_lines=10 * max_rows)
        else:
            yield fmt, jsonl_rows(stream)


__all__ = ["FORMATS", "format_of", "label_rows", "size_label"]
