"""Streamed batches of AI labels (the ingestion API): valid rows are written, invalid rows are
reported and not written, and (source, external id) makes a retried batch write nothing twice.

Idempotency under concurrency: each row's key is inserted into IngestKey with ON CONFLICT DO
NOTHING before its label is written, in the batch's transaction; a concurrent batch holding the
same key waits on the unique index until the first commits, then finds it taken (a duplicate).
Keys are inserted in sorted order, so two batches never wait on each other in a cycle."""

import io
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction

from cai_audit import permissions
from cai_audit.errors import ImportProblems
from cai_audit.permissions import permission_require
from cai_audit.text import storable_text_problem
from labeling.importing import json_value
from labeling.importing.readers import jsonl_rows
from labeling.models import ItemSet, LabelingRun, LabelSource
from labeling.signals import labels_arrived

from ..formats.records import LabelRecord, RowProblem
from ..formats.rows import KINDS, ROW_PARSERS
from ..kinds import LABEL_MODELS
from ..models import IngestKey
from .context import row_context
from .writer import LabelWriter, ids_take, run_external_create

CREATED, DUPLICATE, ERROR = "created", "duplicate", "error"


@dataclass
class RowResult:
    row: int  # 1-based position in the batch
    status: str
    id: str = ""
    label_id: int | None = None
    errors: list[str] = field(default_factory=list)


class Batch(list):
    """A batch's (position, row) pairs, with the positions of the rows that may hold text that
    cannot be stored (`suspects`; None: any row may). Strictly decoded JSON holds NUL or a lone
    surrogate only through a \\u escape; a row of an NDJSON line without one and with few
    brackets is not nested too deeply either (labeling.importing.readers), while a row of an
    array without escapes may still be (`depth_unknown`)."""

    suspects: frozenset[int] | None = None
    depth_unknown = True


def _walk_needed(rows, position: int, row: dict) -> bool:
    suspects = getattr(rows, "suspects", None)
    if suspects is None or position in suspects:
        return True
    if not getattr(rows, "depth_unknown", True):
        return False
    return any(isinstance(value, dict | list) for value in row.values())


def batch_rows(body: bytes, *, ndjson: bool) -> Batch:
    """The batch's rows as (position, row or RowProblem). Raises ImportProblems for a body over
    CAI_INGEST_MAX_BYTES, a body that is not a JSON array (or NDJSON), or more than
    CAI_INGEST_MAX_ROWS rows."""
    limit, max_rows = settings.CAI_INGEST_MAX_BYTES, settings.CAI_INGEST_MAX_ROWS
    if len(body) > limit:
        raise ImportProblems(
            "Nothing was written: the body is too large.",
            problems=[f"the body holds more than {limit:,} bytes; the limit is {limit:,}"],
        )
    if ndjson:
        rows, suspects = Batch(), set()
        for line, row, suspect in jsonl_rows(io.BytesIO(body)):
            rows.append((line, row))
            if suspect:
                suspects.add(line)
        rows.suspects, rows.depth_unknown = frozenset(suspects), False
    else:
        try:
            value = json_value(body, "the body")
        except RowProblem as problem:
            raise ImportProblems("Nothing was written.", problems=[str(problem)]) from None
        if not isinstance(value, list):
            raise ImportProblems(
                "Nothing was written.",
                problems=["the body must be a JSON array of rows (or NDJSON)"],
            )
        rows = Batch(enumerate(value, start=1))
        if b"\\u" not in body:
            rows.suspects = frozenset()
    if len(rows) > max_rows:
        raise ImportProblems(
            "Nothing was written: the batch has too many rows.",
            problems=[f"the batch holds {len(rows):,} rows; the limit is {max_rows:,}"],
        )
    if not rows:
        raise ImportProblems("Nothing was written.", problems=["the batch holds no rows"])
    return rows


def _stream_run(*, source, kind, version, judge, actor) -> LabelingRun:
    """The source's stream run for (kind, version, judge), created on first use (creation is
    serialised by locking the source row, so concurrent batches share one run)."""
    lookup = {
        "origin": LabelingRun.Origin.STREAM, "source": source, "task": kind,
        "constitution_version": version, "judge": judge,
    }  # fmt: skip
    run = LabelingRun.objects.filter(**lookup).order_by("pk").first()
    if run is not None:
        return run
    LabelSource.objects.select_for_update().filter(pk=source.pk).first()
    run = LabelingRun.objects.filter(**lookup).order_by("pk").first()
    if run is not None:
        return run
    item_set = ItemSet.objects.create(
        name=f"Stream from {source.key}: {kind}, {version}, {judge.name}"[:200]
    )
    return run_external_create(
        source=source, judge=judge, version=version, item_set=item_set, kind=kind,
        origin=LabelingRun.Origin.STREAM, actor=actor,
    )  # fmt: skip


def _keys_claim(source: LabelSource, claims: list[tuple[str, str, int]]) -> set[str]:
    """Insert (external id, kind, label id) keys, sorted; the external ids that were free."""
    if not claims:
        return set()
    table = IngestKey._meta.db_table
    claims = sorted(claims)
    # Three array parameters, not four per key: a 1,000-key statement stays small to send and
    # parse. unnest keeps the arrays' (sorted) order, so keys are still taken in that order.
    sql = (
        f"INSERT INTO {table} (source_id, external_id, kind, label_id, created_at) "  # noqa: S608
        "SELECT %s, key.external_id, key.kind, key.label_id, now() "
        "FROM unnest(%s::text[], %s::text[], %s::bigint[]) "
        "WITH ORDINALITY AS key(external_id, kind, label_id, position) ORDER BY key.position "
        "ON CONFLICT (source_id, external_id) DO NOTHING RETURNING external_id"
    )
    params = [source.pk, *map(list, zip(*claims, strict=True))]
    if connection.vendor != "postgresql":  # SQLite (development): four parameters per key
        values = ", ".join(["(%s, %s, %s, %s, now())"] * len(claims))
        sql = (
            f"INSERT INTO {table} (source_id, external_id, kind, label_id, created_at) "  # noqa: S608
            f"VALUES {values} ON CONFLICT (source_id, external_id) DO NOTHING RETURNING external_id"
        )
        params = [value for external_id, kind, label_id in claims
                  for value in (source.pk, external_id, kind, label_id)]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0] for row in cursor.fetchall()}


def labels_ingest(
    *,
    actor: AbstractBaseUser | None,
    source: LabelSource,
    kind: str | None,
    rows: list[tuple[int, object]],
    version,
) -> list[RowResult]:
    """Write a streamed batch: each row (a dict of the kind's row format, ingest/formats/rows.py,
    with an `id`; with `kind` when the URL names none) is created, a duplicate of a label this
    source sent before (or earlier in the batch), or an error with its reasons; only created
    rows are written, into the source's stream run per (kind, version, judge), whose totals and
    tallies grow. `version` is the default constitution version. Sends labels_arrived per kind
    after commit. Raises PermissionDenied without INGEST_LABELS, ImportProblems for an unknown
    kind or an unpublished version."""
    permission_require(actor, permissions.INGEST_LABELS, action="send labels")
    if kind is not None and kind not in KINDS:
        raise ImportProblems("Unknown kind.", problems=[f"kind must be one of {', '.join(KINDS)}"])
    context, versions, judges = row_context(source=source, version=version)
    results: list[RowResult] = []
    records: list[tuple[RowResult, LabelRecord]] = []
    seen: set[str] = set()
    for position, row in rows:
        result = RowResult(position, ERROR)
        results.append(result)
        try:
            if isinstance(row, RowProblem):
                raise row
            if not isinstance(row, dict):
                raise RowProblem("each row must be a JSON object")
            result.id = str(row.get("id") or "")[:200]
            if _walk_needed(rows, position, row) and (problem := storable_text_problem(row)):
                raise RowProblem(problem)
            row_kind = kind or row.get("kind")
            if row_kind not in KINDS:
                raise RowProblem(f"kind must be one of {', '.join(KINDS)} (got {row_kind!r})")
            if not result.id:
                raise RowProblem("id is required (labels are kept once per source and id)")
            record = ROW_PARSERS[row_kind](row, position, context)
        except RowProblem as problem:
            result.errors.append(str(problem))
            continue
        if record.external_id in seen:
            result.status = DUPLICATE
            continue
        seen.add(record.external_id)
        records.append((result, record))
    if not records:
        return results
    with transaction.atomic():
        runs: dict[tuple, LabelingRun] = {}
        for _, record in records:
            key = (record.kind, record.version, record.judge)
            if key not in runs:
                runs[key] = _stream_run(
                    source=source, kind=record.kind, version=versions[record.version],
                    judge=judges[record.judge], actor=actor,
                )  # fmt: skip
        by_kind: dict[str, list] = defaultdict(list)
        for pair in records:
            by_kind[pair[1].kind].append(pair)
        writer = LabelWriter(
            run_for=lambda r: runs[(r.kind, r.version, r.judge)],
            model_ids={name: j.model for name, j in judges.items()},
            line_of=lambda record, item_id: item_id,
        )
        arrived: dict[str, list[int]] = {}
        for row_kind, pairs in sorted(by_kind.items()):
            ids = ids_take(LABEL_MODELS[row_kind](), len(pairs))
            free = _keys_claim(
                source, [(r.external_id, row_kind, i) for (_, r), i in zip(pairs, ids, strict=True)]
            )
            accepted = [(res, rec, i) for (res, rec), i in zip(pairs, ids, strict=True)
                        if rec.external_id in free]  # fmt: skip
            for res, rec in pairs:
                res.status = CREATED if rec.external_id in free else DUPLICATE
            if not accepted:
                continue
            for res, _, label_id in accepted:
                res.label_id = label_id
            writer.pending = [rec for _, rec, _ in accepted]
            writer.flush(label_ids=[i for _, _, i in accepted])
            arrived[row_kind] = [i for _, _, i in accepted]
        writer.finish()
        for row_kind, label_ids in arrived.items():
            run_ids = sorted({run.pk for key, run in runs.items() if key[0] == row_kind})
            transaction.on_commit(
                lambda row_kind=row_kind, run_ids=run_ids, label_ids=label_ids: labels_arrived.send(
                    sender=LabelSource, source=source, kind=row_kind, runs=run_ids,
                    label_ids=label_ids, actor=actor,
                )
            )  # fmt: skip
    return results
