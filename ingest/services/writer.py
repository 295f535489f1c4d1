"""Writing label records as they are read: items and labels in chunks (COPY on PostgreSQL, with
item ids taken from the sequence first so that labels can point at them; bulk_create elsewhere),
one run per (kind, constitution version, judge), and the tallies counted on the way.

Callers hold the transaction: a file import writes everything in one and rolls it back when a
bad row turns up; a streamed batch writes its valid rows in one."""

import json
from collections import Counter
from collections.abc import Callable

import orjson
from django.db import connection
from django.db.models import F
from django.utils import timezone

from labeling.models import Item, ItemSet, LabelingRun, LabelSource
from labeling.services.tallies import tally_counts_add, week_of

from ..formats.records import LabelRecord
from ..kinds import LABEL_MODELS

CHUNK = 5000
ITEM_COLUMNS = (
    "id", "item_set_id", "line", "kind", "external_id", "prompt", "response_a", "response_b",
    "human_choice", "domain", "harm_category", "locale", "high_stakes", "source", "metadata",
)  # fmt: skip
LABEL_COMMON = (
    "run_id", "item_id", "principle_code", "principle_category", "principle_locale", "locale",
    "harm_category", "high_stakes", "model_id", "sampling", "latency_ms", "created_at", "domain",
    "external_id", "rationale",
)  # fmt: skip
KIND_COLUMNS = {
    "preference": (
        "p_a_first", "p_a_second", "p_a", "confidence", "margin", "entropy", "position_stuck",
        "option_mass", "choice",
    ),
    "critique": ("critique", "revision"),
    "safety": (
        "verdict", "p_violation", "p_refusal", "p_safe", "confidence", "categories", "raw_output",
    ),
}  # fmt: skip
_JSON_COLUMNS = frozenset({"categories"})


def json_text(value) -> str:
    """JSON text for a jsonb column: orjson (several times faster than json.dumps), or json.dumps
    for what orjson does not write (an integer of over 64 bits)."""
    try:
        return orjson.dumps(value).decode()
    except TypeError:
        return json.dumps(value)


def ids_take(model, count: int) -> list[int]:
    """`count` fresh ids from the model's id sequence (PostgreSQL), so rows can be written with
    COPY and referred to before they exist."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, count],
        )
        return [row[0] for row in cursor.fetchall()]


def _copy(table: str, columns: tuple[str, ...], rows) -> None:
    statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


class LabelWriter:
    """Buffers up to CHUNK records and writes them. `run_for(record)` gives the run a record
    belongs to (created by the caller as needed); `line_of(record, item_id)` the item's line in
    its set (the file's row number, or the item id for streamed items); `label_ids`, when given,
    takes the ids of the labels to write (streaming: they are keyed before they are written)."""

    def __init__(
        self,
        *,
        run_for: Callable[[LabelRecord], LabelingRun],
        model_ids: dict[str, str],
        line_of: Callable[[LabelRecord, int], int] = lambda record, item_id: record.line,
    ):
        self.run_for, self.model_ids, self.line_of = run_for, model_ids, line_of
        self.pending: list[LabelRecord] = []
        self.label_ids: list[int] | None = None
        self.per_run: Counter = Counter()
        self.tallies: Counter = Counter()
        self.stuck: Counter = Counter()
        self.written = 0
        self.now = timezone.now()
        self.this_week = week_of(self.now)

    def add(self, record: LabelRecord) -> None:
        self.pending.append(record)
        if len(self.pending) >= CHUNK:
            self.flush()

    def flush(self, label_ids: list[int] | None = None) -> None:
        records, self.pending = self.pending, []
        if not records:
            return
        postgres = connection.vendor == "postgresql"
        item_ids = ids_take(Item, len(records)) if postgres else None
        runs = [self.run_for(record) for record in records]
        items = []
        for index, record in enumerate(records):
            r, run = record.item, runs[index]
            item_id = item_ids[index] if item_ids else None
            items.append((
                item_id, run.item_set_id, self.line_of(record, item_id or index), r.kind,
                r.external_id, json_text(r.prompt), r.response_a, r.response_b, r.human_choice,
                r.domain, r.harm_category, r.locale, r.high_stakes, r.source,
                json_text(r.metadata),
            ))  # fmt: skip
        if postgres:
            _copy(Item._meta.db_table, ITEM_COLUMNS, items)
        else:
            objects = [Item(**dict(zip(ITEM_COLUMNS[1:], row[1:], strict=True))) for row in items]
            for obj in objects:
                obj.prompt, obj.metadata = json.loads(obj.prompt), json.loads(obj.metadata)
            Item.objects.bulk_create(objects)
            item_ids = [obj.pk for obj in objects]
        by_kind: dict[str, list[tuple]] = {}
        for index, record in enumerate(records):
            by_kind.setdefault(record.kind, []).append(
                self._label_row(
                    record, runs[index], item_ids[index], label_ids[index] if label_ids else None
                )
            )
        for kind, rows in by_kind.items():
            self._write_labels(kind, rows, with_ids=label_ids is not None, postgres=postgres)
        self.written += len(records)

    def _label_row(self, record: LabelRecord, run, item_id: int, label_id: int | None) -> tuple:
        item, facts = record.item, record.principle
        made_at = record.made_at or self.now
        week = self.this_week if record.made_at is None else week_of(made_at)
        principle_locale = item.locale if item.locale in facts.locales else ""
        values = record.values
        key = (
            run.pk, record.kind, facts.code, facts.category, item.domain, item.locale,
            item.harm_category, week,
        )  # fmt: skip
        self.tallies[key] += 1
        self.stuck[key] += int(values.get("position_stuck", False))
        self.per_run[run.pk] += 1
        row = (
            run.pk, item_id, facts.code, facts.category, principle_locale, item.locale,
            item.harm_category, item.high_stakes, self.model_ids[record.judge], "{}", 0, made_at,
            item.domain, record.external_id, record.rationale,
            *(
                json_text(values[name]) if name in _JSON_COLUMNS else values[name]
                for name in KIND_COLUMNS[record.kind]
            ),
        )  # fmt: skip
        return (label_id, *row) if label_id is not None else row

    def _write_labels(self, kind: str, rows: list[tuple], *, with_ids: bool, postgres: bool):
        model = LABEL_MODELS[kind]()
        columns = (("id",) if with_ids else ()) + LABEL_COMMON + KIND_COLUMNS[kind]
        if postgres:
            _copy(model._meta.db_table, columns, rows)
            return
        objects = []
        for row in rows:
            fields = dict(zip(columns, row, strict=True))
            fields["sampling"] = {}
            if "categories" in fields:
                fields["categories"] = json.loads(fields["categories"])
            objects.append(model(**fields))
        model.objects.bulk_create(objects, batch_size=2000)

    def finish(self) -> dict[int, int]:
        """Write what is left and the tallies; grow each run's totals. Returns run id -> labels
        written to it."""
        self.flush()
        # Concurrent stream batches add to the same tally rows: whoever holds the runs' rows
        # (locked in id order) counts, so two batches never wait on each other's tally rows.
        locked = LabelingRun.objects.select_for_update().filter(pk__in=sorted(self.per_run))
        list(locked.order_by("pk").values_list("pk", flat=True))
        tally_counts_add(self.tallies, self.stuck)
        for run_id, count in sorted(self.per_run.items()):
            LabelingRun.objects.filter(pk=run_id).update(
                total_units=F("total_units") + count, finished_at=self.now
            )
        item_sets: Counter = Counter()
        runs = LabelingRun.objects.filter(pk__in=list(self.per_run)).only("pk", "item_set_id")
        for run in runs:
            item_sets[run.item_set_id] += self.per_run[run.pk]
        for item_set_id, count in sorted(item_sets.items()):
            ItemSet.objects.filter(pk=item_set_id).update(item_count=F("item_count") + count)
        return dict(self.per_run)


def run_external_create(
    *, source: LabelSource, judge, version, item_set: ItemSet, kind: str, origin: str, actor
) -> LabelingRun:
    """A run for labels made elsewhere: done at once (no batches); totals grow as labels land."""
    now = timezone.now()
    return LabelingRun.objects.create(
        constitution_version=version,
        item_set=item_set,
        origin=origin,
        judge=judge,
        source=source,
        task=kind,
        status=LabelingRun.Status.DONE,
        critic_snapshot=judge.snapshot(),
        created_by=actor if actor is not None and actor.is_authenticated else None,
        started_at=now,
        finished_at=now,
    )
