"""Label tallies: per-run counts of AI labels by the facts dashboards group by, added to in the
same transaction as the labels they count (labels are never edited; deleting a run deletes its
tallies with it)."""

from collections import Counter
from datetime import date, timedelta

from django.db import connection, transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncWeek
from django.utils import timezone

from ..models import CritiqueLabel, LabelTally, PreferenceLabel, SafetyLabel

_KIND_OF = {"PreferenceLabel": "preference", "CritiqueLabel": "critique", "SafetyLabel": "safety"}
FACTS = ("principle_code", "principle_category", "domain", "locale", "harm_category")
KEY = ("run_id", "kind", *FACTS, "week")


def week_of(moment) -> date:
    day = timezone.localtime(moment).date()
    return day - timedelta(days=day.weekday())


def _upsert(counts: Counter, stuck: Counter) -> None:
    table = LabelTally._meta.db_table
    columns = ", ".join(KEY)
    sql = (
        f"INSERT INTO {table} ({columns}, labels, stuck) VALUES "  # noqa: S608
        f"({', '.join(['%s'] * (len(KEY) + 2))}) "
        f"ON CONFLICT ({columns}) DO UPDATE SET labels = {table}.labels + excluded.labels, "
        f"stuck = {table}.stuck + excluded.stuck"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(*key, n, stuck[key]) for key, n in counts.items()])


def tally_counts_add(counts: Counter, stuck: Counter) -> None:
    """Add counts already made (key: KEY's values in order -> labels; `stuck` the same keys ->
    position-stuck labels), for writers that count as they stream (label import). Keys are
    written in sorted order, so concurrent writers lock tally rows in the same order."""
    if counts:
        _upsert(Counter(dict(sorted(counts.items(), key=lambda kv: str(kv[0])))), stuck)


def tally_add(labels: list) -> None:
    """Count freshly written labels (after bulk_create has set their created_at)."""
    counts: Counter = Counter()
    stuck: Counter = Counter()
    for label in labels:
        kind = _KIND_OF.get(type(label).__name__, "critique")
        key = (label.run_id, kind, *(getattr(label, f) for f in FACTS), week_of(label.created_at))
        counts[key] += 1
        stuck[key] += int(getattr(label, "position_stuck", False))
    if counts:
        _upsert(counts, stuck)


@transaction.atomic
def tally_rebuild(*, run_ids: list[int] | None = None) -> int:
    """Recount from the label tables (after a bulk load that bypassed `tally_add`); returns the
    number of tally rows written. Raises nothing of its own (database errors propagate)."""
    tallies = LabelTally.objects.all()
    if run_ids is not None:
        tallies = tallies.filter(run_id__in=run_ids)
    tallies.delete()
    rows = []
    kinds = (("preference", PreferenceLabel), ("critique", CritiqueLabel), ("safety", SafetyLabel))
    for kind, model in kinds:
        labels = (
            model.objects.all() if run_ids is None else model.objects.filter(run_id__in=run_ids)
        )
        stuck = Count("id", filter=Q(position_stuck=True)) if kind == "preference" else None
        grouped = (
            labels.annotate(week_start=TruncWeek("created_at"))
            .values("run_id", *FACTS, "week_start")
            .annotate(n=Count("id"), **({"s": stuck} if stuck else {}))
            .order_by()
        )
        rows += [
            LabelTally(
                run_id=row["run_id"], kind=kind, **{f: row[f] for f in FACTS},
                week=timezone.localtime(row["week_start"]).date(), labels=row["n"],
                stuck=row.get("s", 0),
            )
            for row in grouped
        ]  # fmt: skip
    LabelTally.objects.bulk_create(rows, batch_size=5000)
    return len(rows)
