"""AI labels with what humans said of them, streamed for export.

One SQL statement per export: the label, its item, its run's version, the gold label (an
adjudication first where a label was drawn twice) and the count of reviews agreeing with it,
read through a server-side cursor in chunks, so memory does not grow with the row count.
Portable SQL (window functions, CTEs): PostgreSQL and SQLite.
"""

import queue
import threading
from dataclasses import asdict, dataclass
from datetime import datetime

from django.db import connection, transaction

CHUNK = 5000


@dataclass(frozen=True)
class SnapshotFilter:
    constitution_version: int | None = None
    principle_codes: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    locale: str = ""
    labeled_from: datetime | None = None
    labeled_to: datetime | None = None
    runs: tuple[int, ...] = ()

    def as_dict(self) -> dict:
        return {
            key: (value.isoformat() if isinstance(value, datetime) else value)
            for key, value in asdict(self).items()
            if value not in ((), None, "")
        }


def _where(where: SnapshotFilter) -> tuple[str, list]:
    clauses, params = ["1 = 1"], []
    if where.constitution_version:
        clauses.append("run.constitution_version_id = %s")
        params.append(where.constitution_version)
    for column, values in (
        ("l.principle_code", where.principle_codes),
        ("l.principle_category", where.categories),
        ("l.run_id", where.runs),
    ):
        if values:
            clauses.append(f"{column} IN ({', '.join(['%s'] * len(values))})")
            params.extend(values)
    if where.locale:
        clauses.append("l.locale = %s")
        params.append(where.locale)
    if where.labeled_from:
        clauses.append("l.created_at >= %s")
        params.append(where.labeled_from)
    if where.labeled_to:
        clauses.append("l.created_at < %s")
        params.append(where.labeled_to)
    return " AND ".join(clauses), params


# Column name -> SQL expression, per label kind (l: the label, i: its item, run: its run,
# g: its gold label, v: its reviews).
COMMON = {
    "label_id": "l.id", "run_id": "l.run_id", "version_id": "run.constitution_version_id",
    "principle_code": "l.principle_code", "principle_category": "l.principle_category",
    "locale": "l.locale", "domain": "l.domain", "labeled_at": "CAST(l.created_at AS TEXT)",
    "prompt": "i.prompt", "response_a": "i.response_a", "gold_ai_correct": "g.ai_correct",
    "gold_source": "g.source", "reviews": "v.n", "reviews_agreeing": "v.agree",
}  # fmt: skip
KINDS = {
    "preference": ("labeling_preferencelabel", COMMON | {
        "choice": "l.choice", "p_a": "l.p_a", "confidence": "l.confidence",
        "position_stuck": "l.position_stuck", "response_b": "i.response_b",
        "gold_preference": "g.preference",
    }),
    "critique": ("labeling_critiquelabel", COMMON | {
        "critique": "l.critique", "revision": "l.revision", "corrected_revision": "v.corrected",
    }),
}  # fmt: skip
# What the training formats read (the audit formats read every column).
TRAINING_COLUMNS = {
    "preference": (
        "label_id", "run_id", "version_id", "principle_code", "prompt", "response_a",
        "response_b", "choice", "confidence", "gold_preference", "gold_ai_correct",
        "gold_source",
    ),
    "critique": (
        "label_id", "run_id", "version_id", "principle_code", "prompt", "revision",
        "corrected_revision", "gold_ai_correct", "gold_source",
    ),
}  # fmt: skip


def records(kind: str, where: SnapshotFilter, columns: tuple[str, ...] | None = None):
    """Yield one dict per AI label matching `where`, in label id order, with `columns` (all
    of the kind's by default: fewer columns export faster)."""
    table, available = KINDS[kind]
    names = tuple(columns or available)
    selected = ", ".join(available[name] for name in names)
    clause, params = _where(where)
    # Table and column names are constants above; every value is a parameter.
    sql = f"""
        WITH gold AS (
          SELECT s.label_id, g.preference, g.ai_correct, g.source,
                 ROW_NUMBER() OVER (PARTITION BY s.label_id ORDER BY
                   CASE WHEN g.source = 'adjudication' THEN 0 ELSE 1 END, g.id DESC) AS pick
          FROM reviews_goldlabel g JOIN reviews_sampledlabel s ON s.id = g.sampled_label_id
          WHERE s.kind = %s
        ), verdicts AS (
          SELECT s.label_id, COUNT(*) AS n,
                 SUM(CASE WHEN r.ai_correct THEN 1 ELSE 0 END) AS agree,
                 MAX(NULLIF(r.corrected_revision, '')) AS corrected
          FROM reviews_review r JOIN reviews_sampledlabel s ON s.id = r.sampled_label_id
          WHERE s.kind = %s GROUP BY s.label_id
        )
        SELECT {selected}
        FROM {table} l
          JOIN labeling_item i ON i.id = l.item_id
          JOIN labeling_labelingrun run ON run.id = l.run_id
          LEFT JOIN gold g ON g.label_id = l.id AND g.pick = 1
          LEFT JOIN verdicts v ON v.label_id = l.id
        WHERE {clause}
        ORDER BY l.id"""  # noqa: S608
    flag = names.index("gold_ai_correct") if "gold_ai_correct" in names else None
    with transaction.atomic(), connection.chunked_cursor() as cursor:
        if connection.vendor == "postgresql":  # sort in memory, not on disk
            with connection.cursor() as setting:
                setting.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute(sql, [kind, kind, *params])
        for rows in _prefetched(cursor):
            for row in rows:
                record = dict(zip(names, row, strict=True))
                if flag is not None and row[flag] is not None:  # SQLite gives 0/1
                    record["gold_ai_correct"] = bool(row[flag])
                yield record


def _prefetched(cursor):
    """Chunks of the cursor, the next one fetched by a thread while this one is processed, so
    the database works while Python does. Stops the thread if the consumer stops early."""
    chunks: queue.Queue = queue.Queue(maxsize=2)
    stop = threading.Event()

    def put(item) -> bool:
        while not stop.is_set():
            try:
                chunks.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def fetch() -> None:
        try:
            while rows := cursor.fetchmany(CHUNK):
                if not put(rows):
                    return
        except Exception as error:  # handed to the consumer, which re-raises it
            put(error)
        put(None)

    thread = threading.Thread(target=fetch, daemon=True)
    thread.start()
    try:
        while (rows := chunks.get()) is not None:
            if isinstance(rows, Exception):
                raise rows
            yield rows
    finally:
        stop.set()
        thread.join()
