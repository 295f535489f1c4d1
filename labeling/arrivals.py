"""Reads of what arrived: the latest AI labels of every kind (the label stream), and per label
source what it sent, from which judge, and how much per day.

Every kind in the registry takes part; a kind whose labels never have a judge or a source
(red-team verdicts are always the app's own) drops out of a stream filtered by either.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import CharField, Count, F, Value
from django.db.models.functions import TruncDate

from . import kinds
from .models import Judge, LabelSource

STREAM_PAGE_SIZE = 50


@dataclass(frozen=True)
class StreamFilter:
    kind: str = ""
    source: int | None = None
    judge: int | None = None


def _stream_kinds(where: StreamFilter) -> list[kinds.LabelKind]:
    chosen = [kinds.get(where.kind)] if where.kind else list(kinds.all())
    if where.source is not None:
        chosen = [kind for kind in chosen if kind.lookup("source") is not None]
    if where.judge is not None:
        chosen = [kind for kind in chosen if kind.lookup("judge") is not None]
    return chosen


def stream_index(*, where: StreamFilter):
    """(kind, id, labeled_at) of the labels matching `where`, newest first, as one UNION query
    over the kinds' tables (page it; `stream_rows` loads a page). None when no kind applies."""
    parts = []
    for kind in _stream_kinds(where):
        conditions = {}
        if where.source is not None:
            conditions[kind.lookup("source")] = where.source
        if where.judge is not None:
            conditions[kind.lookup("judge")] = where.judge
        parts.append(
            kind.model.objects.filter(**conditions)
            .order_by()
            .annotate(
                kind_key=Value(kind.key, output_field=CharField()),
                labeled_at=F(kind.lookup("labeled_at")),
            )
            .values_list("kind_key", "id", "labeled_at")
        )
    if not parts:
        return None
    first, *rest = parts
    union = first.union(*rest, all=True) if rest else first
    return union.order_by("-labeled_at", "-id")


@dataclass
class StreamRow:
    kind: kinds.LabelKind
    label: object
    labeled_at: object
    prompt: str = ""
    answer: dict = field(default_factory=dict)
    text: str = ""

    @property
    def run_url(self) -> str:
        """The run page, for labels of labeling runs (red-team runs have their own pages)."""
        from django.urls import reverse

        from .models import LabelingRun

        if isinstance(self.label.run, LabelingRun):
            return reverse("labeling:run", args=[self.label.run_id])
        return ""

    @property
    def maker(self):
        run = self.label.run
        return getattr(run, "maker", None) or getattr(run, "judge", None) or ""

    @property
    def source(self):
        return getattr(self.label.run, "source", None)


def stream_rows(entries) -> list[StreamRow]:
    """The labels of a page of `stream_index`, loaded with one query per kind, in page order."""
    by_kind: dict[str, list[int]] = {}
    for key, pk, _ in entries:
        by_kind.setdefault(key, []).append(pk)
    loaded = {}
    for key, ids in by_kind.items():
        kind = kinds.get(key)
        related = list(kind.related)
        if hasattr(kind.run_model, "source"):
            related += ["run__source", "run__judge", "run__critic"]
        for label in kind.model.objects.filter(pk__in=ids).select_related(*related):
            loaded[(key, label.pk)] = label
    rows = []
    for key, pk, labeled_at in entries:
        label = loaded.get((key, pk))
        if label is None:
            continue  # deleted between the two queries
        kind = kinds.get(key)
        view = kind.blind(label)
        messages = view["prompt"] or []
        users = [m.get("content", "") for m in messages if m.get("role") == "user"]
        rows.append(
            StreamRow(
                kind=kind,
                label=label,
                labeled_at=labeled_at,
                prompt=str(users[-1] if users else ""),
                answer={k: _shown(v) for k, v in (kind.ai_answer(label) or {}).items()},
                text=view["critique"] or view["response_a"],
            )
        )
    return rows


def _shown(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


@dataclass
class SourceArrivals:
    runs: list[dict]  # per run: run, kind label, labels
    kinds: list[dict]  # per kind: verbose name, runs, labels
    judges: list[dict]  # per judge: judge, labels
    days: list[dict]  # per day: day, labels (oldest first)
    total: int


def _run_kind(run) -> kinds.LabelKind | None:
    """The kind of a labeling run's labels: its task names it (None: not registered yet)."""
    return next((kind for kind in kinds.all() if kind.key == run.task), None)


def source_arrivals(*, source: LabelSource, days: int = 60) -> SourceArrivals:
    """What `source` sent: its runs with their label counts, per kind and per judge, and labels
    per day over its last `days` days with arrivals."""
    runs = list(source.runs.select_related("judge", "constitution_version__constitution"))
    per_run: dict[int, int] = {}
    per_day: dict[date, int] = {}
    for kind in kinds.all():
        lookup = kind.lookup("source")
        if lookup is None:
            continue
        labels = kind.model.objects.filter(**{lookup: source.pk}).order_by()
        for row in labels.values("run_id").annotate(n=Count("id")):
            per_run[row["run_id"]] = per_run.get(row["run_id"], 0) + row["n"]
        daily = labels.annotate(day=TruncDate(kind.lookup("labeled_at"))).values("day")
        for row in daily.annotate(n=Count("id")):
            per_day[row["day"]] = per_day.get(row["day"], 0) + row["n"]
    run_rows, kind_rows, judge_rows = [], {}, {}
    for run in runs:
        kind = _run_kind(run)
        name = kind.verbose_name if kind else run.get_task_display()
        key = kind.key if kind else ""
        n = per_run.get(run.pk, 0)
        run_rows.append({"run": run, "kind": name, "kind_key": key, "labels": n})
        entry = kind_rows.setdefault(name, {"kind": name, "key": key, "runs": 0, "labels": 0})
        entry["runs"] += 1
        entry["labels"] += n
        judge = judge_rows.setdefault(run.judge_id, {"judge": run.judge, "runs": 0, "labels": 0})
        judge["runs"] += 1
        judge["labels"] += n
    last_days = sorted(per_day)[-days:]
    return SourceArrivals(
        runs=run_rows,
        kinds=list(kind_rows.values()),
        judges=sorted(judge_rows.values(), key=lambda row: -row["labels"]),
        days=[{"day": day, "labels": per_day[day]} for day in last_days],
        total=sum(per_run.values()),
    )


def days_chart(arrivals: SourceArrivals, *, stream_url: str) -> dict:
    """A bar chart spec (static/js/charts.js) of labels per day."""
    return {
        "type": "bar",
        "labels": [row["day"].isoformat() for row in arrivals.days],
        "series": [
            {
                "label": "Labels",
                "values": [row["labels"] for row in arrivals.days],
                "links": [stream_url for _ in arrivals.days],
            }
        ],
        "y": {"min": 0, "label": "labels", "percent": False},
    }


def judge_runs(*, judge: Judge):
    return judge.runs.select_related("source", "constitution_version__constitution").order_by(
        "-created_at"
    )
