"""AI labels with what humans said of them, streamed for export.

One SQL statement per export: the label, its item, its run's version, the gold label (an
adjudication first where a label was drawn twice) and the count of reviews agreeing with it,
read through a server-side cursor in chunks, so memory does not grow with the row count.
Portable SQL (window functions, CTEs): PostgreSQL and SQLite.
"""

from dataclasses import asdict, dataclass
from datetime import datetime

from django.db import connection

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


KIND_SQL = {
    "preference": (
        "labeling_preferencelabel", "preference_label_id",
        "l.choice, l.p_a, l.confidence, l.position_stuck, i.response_b, g.preference",
        ("choice", "p_a", "confidence", "position_stuck", "response_b", "gold_preference"),
    ),
    "critique": (
        "labeling_critiquelabel", "critique_label_id", "l.critique, l.revision, v.corrected",
        ("critique", "revision", "corrected_revision"),
    ),
}  # fmt: skip
COMMON = (
    "label_id", "run_id", "version_id", "principle_code", "principle_category", "locale",
    "domain", "labeled_at", "prompt", "response_a", "gold_ai_correct", "gold_source", "reviews",
    "reviews_agreeing",
)  # fmt: skip


def records(kind: str, where: SnapshotFilter):
    """Yield one dict per AI label matching `where`, in label id order."""
    table, link, extra_sql, extra_names = KIND_SQL[kind]
    clause, params = _where(where)
    # Table and column names are constants above; every value is a parameter.
    sql = f"""
        WITH gold AS (
          SELECT s.{link} AS label_id, g.preference, g.ai_correct, g.source,
                 ROW_NUMBER() OVER (PARTITION BY s.{link} ORDER BY
                   CASE WHEN g.source = 'adjudication' THEN 0 ELSE 1 END, g.id DESC) AS pick
          FROM reviews_goldlabel g JOIN reviews_sampledlabel s ON s.id = g.sampled_label_id
          WHERE s.{link} IS NOT NULL
        ), verdicts AS (
          SELECT s.{link} AS label_id, COUNT(*) AS n,
                 SUM(CASE WHEN r.ai_correct THEN 1 ELSE 0 END) AS agree,
                 MAX(NULLIF(r.corrected_revision, '')) AS corrected
          FROM reviews_review r JOIN reviews_sampledlabel s ON s.id = r.sampled_label_id
          WHERE s.{link} IS NOT NULL GROUP BY s.{link}
        )
        SELECT l.id, l.run_id, run.constitution_version_id, l.principle_code,
               l.principle_category, l.locale, l.domain, l.created_at, i.prompt, i.response_a,
               g.ai_correct, g.source, v.n, v.agree, {extra_sql}
        FROM {table} l
          JOIN labeling_item i ON i.id = l.item_id
          JOIN labeling_labelingrun run ON run.id = l.run_id
          LEFT JOIN gold g ON g.label_id = l.id AND g.pick = 1
          LEFT JOIN verdicts v ON v.label_id = l.id
        WHERE {clause}
        ORDER BY l.id"""  # noqa: S608
    names = COMMON + extra_names
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(CHUNK):
            for row in rows:
                record = dict(zip(names, row, strict=True))
                if record["gold_ai_correct"] is not None:  # SQLite gives 0/1
                    record["gold_ai_correct"] = bool(record["gold_ai_correct"])
                yield record
