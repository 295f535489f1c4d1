"""The database side of the dashboards: every number starts as a GROUP BY here.

Human judgments are read through SampledLabel, which carries the AI label's facts (principle,
domain, version, critic, choice, confidence, position bias), so reviews and gold labels are
aggregated without touching the million-row label tables.
AI label totals come from the label tallies kept as labels are written; red-team verdicts have
no tallies and are counted from their own (small) table. Each function returns small lists of
dicts (one per group or cube cell), never rows per label.
"""

from datetime import datetime

from django.db import connection
from django.db.models import (
    Avg,
    Case,
    Count,
    F,
    FloatField,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Ceil, Greatest, Least, TruncWeek
from django.utils import timezone

from labeling import kinds
from labeling.filters import label_paths
from labeling.models import LabelTally
from reviews.models import GoldLabel, Review, ReviewSample, SampledLabel
from reviews.population import sampled_label_paths

from .scope import BINS, Scope

# Dimension -> (field of SampledLabel, the registry's dimension on the AI label side: each kind
# says which of its fields holds it; None: no label side).
DIMENSIONS = {
    "principle": ("principle_code", "principle"),
    "category": ("principle_category", "category"),
    "domain": ("domain", "domain"),
    "locale": ("locale", "locale"),
    "harm_category": ("harm_category", "harm_category"),
    "version": ("constitution_version_id", "version"),
    "critic": ("critic_id", "critic"),
    "judge": ("judge_id", "judge"),
    "source": ("source_id", "source"),
    "week": ("labeled_at", "labeled_at"),
    "sample": ("sample_id", None),
}


def human_field(scope: Scope) -> str:
    """The Review / GoldLabel field holding the reviewer's answer ("" when the kind has none)."""
    return kinds.get(scope.kind).human_field


def sampled_where(scope: Scope, prefix: str = "") -> Q:
    """The scope as a filter on SampledLabel, reached through `prefix` (e.g. "sampled_label__")."""
    q = Q(**{f"{prefix}kind": scope.kind})
    if scope.sample is not None:
        q &= Q(**{f"{prefix}sample_id": scope.sample})
    return q & scope.labels().q(sampled_label_paths(prefix))


def _group(dimension: str | None, prefix: str = ""):
    if dimension is None:
        return Value("")
    field = DIMENSIONS[dimension][0]
    if dimension == "week":
        return TruncWeek(f"{prefix}{field}")
    return F(f"{prefix}{field}")


def _confidence_bin(prefix: str):
    """clip(ceil(confidence x BINS) - 1, 0, BINS - 1), as stats.calibration_bin."""
    confidence = F(f"{prefix}ai_confidence")
    bin_ = Greatest(Least(Ceil(confidence * BINS) - 1.0, Value(BINS - 1.0)), Value(0.0))
    return Cast(bin_, IntegerField())


def _human_choice(scope: Scope):
    field = human_field(scope)
    return F(field) if field else Value("")


def gold_cube(scope: Scope, by: str | None = None) -> list[dict]:
    """Gold labels counted per group x AI choice x gold choice x AI correct x position-stuck x
    confidence bin, with the sums calibration and weighted (1/pi) estimates need."""
    p = "sampled_label__"
    pi = F(f"{p}inclusion_probability")
    rows = (
        GoldLabel.objects.filter(sampled_where(scope, p))
        .annotate(
            group=_group(by, p),
            ai_choice=F(f"{p}ai_choice"),
            human_choice=_human_choice(scope),
            stuck=F(f"{p}position_stuck"),
            bin=_confidence_bin(p),
        )
        .values("group", "ai_choice", "human_choice", "ai_correct", "stuck", "bin")
        .annotate(
            n=Count("id"),
            sum_confidence=Sum(f"{p}ai_confidence"),
            sum_w=Sum(1.0 / pi, output_field=FloatField()),
            sum_w2=Sum(1.0 / (pi * pi), output_field=FloatField()),
        )
        .order_by()
    )
    return list(rows)


def review_counts(scope: Scope, by: str | None = None) -> list[dict]:
    """Individual reviews per group: how many, and how many agreed with the AI."""
    p = "sampled_label__"
    return list(
        Review.objects.filter(sampled_where(scope, p))
        .annotate(group=_group(by, p))
        .values("group")
        .annotate(n=Count("id"), agree=Count("id", filter=Q(ai_correct=True)))
        .order_by()
    )


def label_model(scope: Scope):
    return kinds.get(scope.kind).model


def _label_side(scope: Scope, tallies: bool):
    """dimension -> field on the label side: the tallies' (labeling's names), or the kind's."""
    if tallies:
        return kinds.COMMON_LOOKUPS.get
    return kinds.get(scope.kind).lookup


def _label_filter(scope: Scope, tallies: bool = False) -> Q:
    """The scope's filters on the label side: the tallies (labeling's common names; they match
    the week themselves), or the kind's label table."""
    if tallies:
        return scope.labels(timed=False).q(label_paths())
    return scope.labels().q(label_paths(kinds.get(scope.kind).lookup))


def _label_group(scope: Scope, by: str | None, week, tallies: bool = False):
    """The label-side grouping of a dimension; None when the dimension has no label side. A
    kind whose labels never have the dimension (red-team verdicts: no judge, no source) makes
    one blank group, as its sampled labels (whose copy of the fact is null) do."""
    if by is None:
        return Value("")
    if DIMENSIONS[by][1] is None:
        return None
    if by == "week":
        return week
    lookup = _label_side(scope, tallies)(DIMENSIONS[by][1])
    return F(lookup) if lookup is not None else Value(None, output_field=IntegerField())


def label_counts(scope: Scope, by: str | None = None) -> list[dict]:
    """All AI labels per group (the audited and the never-audited), and how many were
    position-stuck. Read from the label tallies; only a day-level date filter, which the weekly
    tallies cannot answer, scans the label table itself. Red-team verdicts have no tallies: their
    table is small, so it is always counted directly. A scope narrowed to one sample counts the
    labels drawn into it (`sampled_label_counts`): the page's numbers are all about that sample."""
    if scope.sample is not None:
        return sampled_label_counts(scope, by)
    if not kinds.get(scope.kind).tallied or scope.labeled_from or scope.labeled_to:
        return _label_counts_scanned(scope, by)
    q = _label_filter(scope, tallies=True) & Q(kind=scope.kind)
    if scope.week:
        q &= Q(week=scope.week)
    group = _label_group(scope, by, F("week"), tallies=True)
    if group is None:
        return []
    rows = list(
        LabelTally.objects.filter(q)
        .annotate(group=group)
        .values("group")
        .annotate(n=Sum("labels"), stuck=Sum("stuck"))
        .order_by()
    )
    if by == "week":  # the same keys as TruncWeek gives the review side
        zone = timezone.get_current_timezone()
        for row in rows:
            row["group"] = datetime.combine(row["group"], datetime.min.time(), tzinfo=zone)
    return rows


def _label_counts_scanned(scope: Scope, by: str | None) -> list[dict]:
    kind = kinds.get(scope.kind)
    labeled_at = kind.lookup("labeled_at")
    group = _label_group(scope, by, TruncWeek(labeled_at))
    if group is None:
        return []
    stuck = Count("id", filter=Q(position_stuck=True)) if kind.position_bias else Value(0)
    return list(
        kind.model.objects.filter(_label_filter(scope))
        .annotate(group=group)
        .values("group")
        .annotate(n=Count("id"), stuck=stuck)
        .order_by()
    )


def sampled_label_counts(scope: Scope, by: str | None = None) -> list[dict]:
    """The AI labels drawn into samples per group, and how many were position-stuck, counted
    from SampledLabel (which carries each label's facts) under every filter of the scope."""
    has_stuck = kinds.get(scope.kind).position_bias
    stuck = Count("id", filter=Q(position_stuck=True)) if has_stuck else Value(0)
    return list(
        SampledLabel.objects.filter(sampled_where(scope))
        .annotate(group=_group(by))
        .values("group")
        .annotate(n=Count("id"), stuck=stuck)
        .order_by()
    )


def gold_by_week(scope: Scope, by: str | None = None) -> list[dict]:
    """Gold agreement per group x week the AI labelled: the drift series."""
    p = "sampled_label__"
    return list(
        GoldLabel.objects.filter(sampled_where(scope, p))
        .annotate(group=_group(by, p), week=TruncWeek(f"{p}labeled_at"))
        .values("group", "week")
        .annotate(n=Count("id"), agree=Count("id", filter=Q(ai_correct=True)))
        .order_by()
    )


def sample_sums(scope: Scope) -> list[dict]:
    """Per sample, over its labels in the scope: what the weighted estimate of its population's
    AI error rate needs. From the gold labels: n, errors, and sums of 1/pi and 1/pi^2 over the
    errors (s1, s2) and over all (w, w2). From every label drawn (reviewed or not): how many
    (drawn) and the sum of 1/pi (drawn_w, the Horvitz-Thompson estimate of how many labels of the
    population the scope holds)."""
    p = "sampled_label__"
    pi = F(f"{p}inclusion_probability")
    error = Q(ai_correct=False)
    weight, weight2 = 1.0 / pi, 1.0 / (pi * pi)
    where = sampled_where(scope, p) & Q(**{f"{p}sample__label_kind": scope.kind})
    rows = list(
        GoldLabel.objects.filter(where)
        .values(
            sample=F(f"{p}sample_id"),
            name=F(f"{p}sample__name"),
            strategy=F(f"{p}sample__strategy"),
            population=F(f"{p}sample__population_size"),
            sampled=F(f"{p}sample__sample_size"),
        )
        .annotate(
            n=Count("id"),
            errors=Count("id", filter=error),
            s1=Sum(Case(When(error, then=weight), default=0.0, output_field=FloatField())),
            s2=Sum(Case(When(error, then=weight2), default=0.0, output_field=FloatField())),
            w=Sum(weight, output_field=FloatField()),
            w2=Sum(weight2, output_field=FloatField()),
        )
        .order_by("-sample")
    )
    drawn = {
        row["sample_id"]: row
        for row in SampledLabel.objects.filter(
            sampled_where(scope), sample_id__in=[row["sample"] for row in rows]
        )
        .values("sample_id")
        .annotate(
            drawn=Count("id"),
            drawn_w=Sum(1.0 / F("inclusion_probability"), output_field=FloatField()),
        )
        .order_by()
    }
    for row in rows:
        row.update(drawn=drawn[row["sample"]]["drawn"], drawn_w=drawn[row["sample"]]["drawn_w"])
    return rows


def gold_decided_without_reviewer(prefix: str = "sampled_label__") -> Q:
    """Reviews whose label has gold that the review's own author did not decide: adjudicated by
    someone else. Gold from agreement is decided by every review of the label, so it never
    measures its reviewers (it agrees with each of them by construction)."""
    gold = f"{prefix}gold__"
    return (
        Q(**{f"{gold}isnull": False})
        & ~Q(**{f"{gold}source": GoldLabel.Source.AGREEMENT})
        & (Q(**{f"{gold}decided_by__isnull": True}) | ~Q(**{f"{gold}decided_by": F("reviewer")}))
    )


def reviewer_counts(scope: Scope) -> list[dict]:
    """Per reviewer: reviews, agreement with the AI, with gold decided without them (see
    gold_decided_without_reviewer), time spent."""
    p = "sampled_label__"
    human = human_field(scope)
    if human:
        same_as_gold = Q(**{human: F(f"{p}gold__{human}")})
    else:
        same_as_gold = Q(ai_correct=F(f"{p}gold__ai_correct"))
    independent = gold_decided_without_reviewer(p)
    return list(
        Review.objects.filter(sampled_where(scope, p))
        .values("reviewer", username=F("reviewer__username"))
        .annotate(
            n=Count("id"),
            agree_ai=Count("id", filter=Q(ai_correct=True)),
            gold=Count("id", filter=independent),
            agree_gold=Count("id", filter=independent & same_as_gold),
            seconds=Avg("seconds_spent"),
        )
        .order_by("username")
    )


def _rating_sql(scope: Scope, alias: str) -> str:
    """A review's answer as one category, for the human-vs-human statistics: its choice where the
    kind has one, else whether it agrees with the AI."""
    human = human_field(scope)
    if human:
        return f"{alias}.{Review._meta.get_field(human).column}"
    return f"CASE WHEN {alias}.ai_correct THEN 'agree' ELSE 'disagree' END"


def _scoped_label_ids(scope: Scope) -> tuple[str, list]:
    sql, params = (
        SampledLabel.objects.filter(sampled_where(scope)).values("id").query.sql_with_params()
    )
    return sql, list(params)


def reviewer_pairs(scope: Scope) -> list[dict]:
    """Pairs of reviews of the same label: per reviewer how often the peer agreed, and the
    first-vs-second reviewer confusion cells (by review order)."""
    ids_sql, params = _scoped_label_ids(scope)
    review = Review._meta.db_table
    # Only table names and the compiled scope query are formatted in; values are parameters.
    sql = f"""
        SELECT r1.reviewer_id, {_rating_sql(scope, "r1")}, {_rating_sql(scope, "r2")},
               r1.id < r2.id, COUNT(*)
        FROM {review} r1 JOIN {review} r2
          ON r1.sampled_label_id = r2.sampled_label_id AND r1.id <> r2.id
        WHERE r1.sampled_label_id IN ({ids_sql})
        GROUP BY 1, 2, 3, 4"""  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [
            {"reviewer": r, "first": a, "second": b, "ordered": bool(o), "n": n}
            for r, a, b, o, n in cursor.fetchall()
        ]


def rating_patterns(scope: Scope, categories: list[str]) -> list[dict]:
    """Labels grouped by how many reviewers chose each category (e.g. 2 A, 0 B, ...), with how
    many labels share each pattern: all that Fleiss' kappa and Krippendorff's alpha need."""
    ids_sql, params = _scoped_label_ids(scope)
    rating = _rating_sql(scope, "r")
    columns = ", ".join(
        f"SUM(CASE WHEN {rating} = %s THEN 1 ELSE 0 END) AS c{i}" for i in range(len(categories))
    )
    names = ", ".join(f"c{i}" for i in range(len(categories)))
    sql = f"""
        SELECT {names}, COUNT(*) FROM (
          SELECT {columns} FROM {Review._meta.db_table} r
          WHERE r.sampled_label_id IN ({ids_sql})
          GROUP BY r.sampled_label_id HAVING COUNT(*) >= 2
        ) per_label GROUP BY {names}"""  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [*categories, *params])
        return [{"counts": list(row[:-1]), "labels": row[-1]} for row in cursor.fetchall()]


def samples_of(scope: Scope) -> QuerySet[ReviewSample]:
    return ReviewSample.objects.filter(label_kind=scope.kind)
