"""AI labels with what humans said of them, streamed for export.

One ORM query per export reads the labels matching a `LabelFilter` with their items and runs,
in label id order, through a server-side cursor in chunks, so memory does not grow with the row
count. What humans said (the gold label that wins and the reviews' tallies, from
`reviews.gold`) is read first, one row per audited label, and joined on in Python: audited
labels are the few a review team could read, and the million-row scan stays a plain join.
"""

import queue
import threading

from django.db import connection, transaction
from django.db.models import F, TextField, Value
from django.db.models.functions import Cast, Coalesce

from labeling import kinds
from labeling.filters import LabelFilter, label_paths
from reviews.gold import gold_winners, review_tallies

CHUNK = 5000

# Column name -> ORM expression on the label, per label kind.
COMMON = {
    "label_id": F("id"), "run_id": F("run_id"), "version_id": F("run__constitution_version_id"),
    "principle_code": F("principle_code"), "principle_category": F("principle_category"),
    "locale": F("locale"), "domain": F("domain"),
    # As text in SQL: parsing a million datetimes in Python cost ~10 us each.
    "labeled_at": Cast("created_at", output_field=TextField()),
    "prompt": F("item__prompt"), "response_a": F("item__response_a"),
    # Who made the label (our critic, or an external judge) and the source it came from.
    "labeled_by": Coalesce(F("run__critic__name"), F("run__judge__name"), Value("")),
    "label_source": Coalesce(F("run__source__key"), Value("")),
}  # fmt: skip
LABEL_COLUMNS = {
    "preference": COMMON | {
        "choice": F("choice"), "p_a": F("p_a"), "confidence": F("confidence"),
        "position_stuck": F("position_stuck"), "response_b": F("item__response_b"),
    },
    "critique": COMMON | {"critique": F("critique"), "revision": F("revision")},
}  # fmt: skip
# Column name -> position in a gold_winners / review_tallies row, per label kind.
GOLD_COLUMNS = {
    "preference": {"gold_preference": 1, "gold_ai_correct": 3, "gold_source": 4},
    "critique": {"gold_ai_correct": 3, "gold_source": 4},
}
REVIEW_COLUMNS = {
    "preference": {"reviews": 1, "reviews_agreeing": 2},
    "critique": {"reviews": 1, "reviews_agreeing": 2, "corrected_revision": 3},
}
KIND_COLUMNS = {
    kind: (*LABEL_COLUMNS[kind], *GOLD_COLUMNS[kind], *REVIEW_COLUMNS[kind])
    for kind in LABEL_COLUMNS
}
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


def _pick(row: tuple, positions: dict[str, int]) -> dict:
    return {name: row[i] for name, i in positions.items()}


def records(kind: str, where: LabelFilter, columns: tuple[str, ...] | None = None):
    """Yield one dict per AI label matching `where`, in label id order, with `columns` (all
    of the kind's by default: fewer columns export faster). The human columns are None for a
    label nobody reviewed."""
    names = tuple(columns or KIND_COLUMNS[kind])
    unknown = set(names) - set(KIND_COLUMNS[kind])
    if unknown:
        raise ValueError(f"{kind} labels have no column {', '.join(sorted(unknown))}")
    label_kind = kinds.get(kind)
    labels = label_kind.model.objects.filter(where.q(label_paths(label_kind.lookup)))
    narrowed = labels if where.set_fields() else None
    gold_positions = {n: i for n, i in GOLD_COLUMNS[kind].items() if n in names}
    review_positions = {n: i for n, i in REVIEW_COLUMNS[kind].items() if n in names}
    none = dict.fromkeys([*gold_positions, *review_positions])
    human: dict[int, dict] = {}  # label id -> its human columns, for the labels humans saw
    if gold_positions:
        for row in gold_winners(kind=kind, labels=narrowed):
            human.setdefault(row[0], dict(none)).update(_pick(row, gold_positions))
    if review_positions:
        for row in review_tallies(kind=kind, labels=narrowed):
            human.setdefault(row[0], dict(none)).update(_pick(row, review_positions))
    selected = [n for n in names if n in LABEL_COLUMNS[kind]]
    if "label_id" not in selected:
        selected.append("label_id")  # the key the human columns join on
    aliases = {f"column_{i}": LABEL_COLUMNS[kind][n] for i, n in enumerate(selected)}
    query = labels.annotate(**aliases).order_by("id").values_list(*aliases).query
    sql, params = query.sql_with_params()
    key = selected.index("label_id")
    with transaction.atomic(), connection.chunked_cursor() as cursor:
        if connection.vendor == "postgresql":  # sort in memory, not on disk
            with connection.cursor() as setting:
                setting.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute(sql, params)
        for rows in _prefetched(cursor):
            for row in rows:
                record = dict(zip(selected, row, strict=True))
                record.update(human.get(row[key], none))
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
