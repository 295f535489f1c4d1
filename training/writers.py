"""Streaming writers for snapshot files: rows go to disk as they come (Parquet in row groups),
so an export's memory does not grow with its size."""

import csv
import hashlib
from pathlib import Path

import orjson

from cai_audit.spreadsheets import csv_safe

PARQUET_ROW_GROUP = 20_000


class JsonlWriter:
    def __init__(self, path: Path):
        self.file = open(path, "wb", buffering=1 << 20)  # noqa: SIM115 (closed in close())

    def write(self, row: dict) -> None:
        self.file.write(orjson.dumps(row, option=orjson.OPT_APPEND_NEWLINE))

    def close(self) -> None:
        self.file.close()


class CsvWriter:
    def __init__(self, path: Path, columns: tuple[str, ...]):
        self.file = open(path, "w", newline="", encoding="utf-8", buffering=1 << 20)  # noqa: SIM115
        self.columns = columns
        self.writer = csv.writer(self.file)
        self.writer.writerow(columns)

    def write(self, row: dict) -> None:
        self.writer.writerow([csv_safe(row[column]) for column in self.columns])

    def close(self) -> None:
        self.file.close()


class ParquetWriter:
    def __init__(self, path: Path, schema):
        import pyarrow.parquet as pq

        self.schema = schema
        self.writer = pq.ParquetWriter(path, schema, compression="zstd")
        self.rows: list[dict] = []

    def write(self, row: dict) -> None:
        self.rows.append(row)
        if len(self.rows) >= PARQUET_ROW_GROUP:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa

        if self.rows:
            self.writer.write_table(pa.Table.from_pylist(self.rows, schema=self.schema))
            self.rows = []

    def close(self) -> None:
        self._flush()
        self.writer.close()


def audit_schema():
    import pyarrow as pa

    text, integer, number, flag = pa.string(), pa.int64(), pa.float64(), pa.bool_()
    return pa.schema([
        ("label_id", integer), ("run_id", integer), ("constitution_version_id", integer),
        ("labeled_by", text), ("label_source", text), ("principle_code", text),
        ("principle_category", text), ("locale", text), ("domain", text), ("labeled_at", text),
        ("prompt", text), ("response_a", text),
        ("response_b", text), ("ai_choice", text), ("ai_p_a", number), ("ai_confidence", number),
        ("position_stuck", flag), ("critique", text), ("revision", text), ("reviews", integer),
        ("reviews_agreeing", integer), ("gold_preference", text), ("gold_ai_correct", flag),
        ("gold_source", text), ("corrected_revision", text), ("policy_source", text),
        ("policy_label", text),
    ])  # fmt: skip


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
