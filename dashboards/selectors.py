"""Dashboard reads: the aggregates of `queries` turned into numbers by `metrics`, cached until
the next review lands. Every page and API endpoint reads through these."""

from dataclasses import dataclass, field

from django.db.models import QuerySet

from constitutions.models import ConstitutionVersion
from labeling.models import CriticConfig, Judge, LabelSource
from reviews.models import ReviewSample, SampledLabel
from stats import ProportionDiff, two_proportion_test

from . import metrics, queries
from .cache import cached, fingerprint, labels_fingerprint
from .scope import Scope

# Dimension -> the Scope field that narrows to one of its groups.
SCOPE_FIELD = {
    "principle": "principle",
    "category": "category",
    "domain": "domain",
    "locale": "locale",
    "harm_category": "harm_category",
    "version": "version",
    "critic": "critic",
    "judge": "judge",
    "source": "source",
    "week": "week",
    "sample": "sample",
}
BREAKDOWNS = (
    "principle", "category", "domain", "locale", "harm_category", "version", "critic", "judge",
    "source",
)  # fmt: skip


@dataclass
class Breakdown:
    by: str | None
    rows: list[metrics.GroupStats]
    total: metrics.GroupStats
    names: dict = field(default_factory=dict)
    drift: dict = field(default_factory=dict)
    overall_drift: metrics.Drift | None = None

    def name(self, key) -> str:
        return self.names.get(key, str(key) if key not in ("", None) else "(none)")


def group_names(by: str | None, keys) -> dict:
    keys = [k for k in keys if k not in ("", None)]
    if by == "version":
        versions = ConstitutionVersion.objects.filter(pk__in=keys).select_related("constitution")
        return {v.pk: f"{v.constitution.name} v{v.number}" for v in versions}
    if by == "critic":
        return dict(CriticConfig.objects.filter(pk__in=keys).values_list("pk", "name"))
    if by == "judge":
        return dict(Judge.objects.filter(pk__in=keys).values_list("pk", "name"))
    if by == "source":
        return dict(LabelSource.objects.filter(pk__in=keys).values_list("pk", "key"))
    if by == "sample":
        return dict(ReviewSample.objects.filter(pk__in=keys).values_list("pk", "name"))
    if by == "week":
        return {k: f"week of {k.date().isoformat()}" for k in keys}
    return {}


def group_scope(scope: Scope, by: str, key) -> Scope:
    """The scope of one group of a breakdown: where its drill-down links go."""
    if by == "week":
        key = key.date() if key is not None else None
    return scope.narrow(**{SCOPE_FIELD[by]: key if key not in ("", None) else None})


def label_counts(*, scope: Scope, by: str | None) -> list[dict]:
    """AI labels per group: the one scan of the label tables, cached until labels change. In a
    scope narrowed to one sample, the labels drawn into it (cached until samples change)."""
    state = fingerprint if scope.sample is not None else labels_fingerprint
    return cached(
        "labels", f"{by}|{scope.key()}", lambda: queries.label_counts(scope, by), state=state
    )


def narrows_population(scope: Scope) -> bool:
    """Whether the scope filters labels beyond their kind and sample (a principle, a version,
    a week...): then a sample's population estimate is for that part of its population."""
    return bool(set(scope.params()) - {"kind", "sample"})


def _breakdown(scope: Scope, by: str | None) -> Breakdown:
    weighted = scope.sample is not None
    cells = queries.gold_cube(scope, by)
    reviews, labels = queries.review_counts(scope, by), label_counts(scope=scope, by=by)
    weekly = queries.gold_by_week(scope, by)
    rows = metrics.groups_stats(cells, reviews, labels, kind=scope.kind, weighted=weighted)
    total = metrics.cells_stats(
        "", cells, metrics.total_row(reviews), metrics.total_row(labels),
        kind=scope.kind, weighted=weighted,
    )  # fmt: skip
    return Breakdown(
        by=by,
        rows=rows if by else [],
        total=total,
        names=group_names(by, [row.key for row in rows]),
        drift=metrics.drift_by_group(weekly) if by else {},
        overall_drift=metrics.drift(weekly),
    )


def breakdown(*, scope: Scope, by: str | None) -> Breakdown:
    """Agreement and its companions per group of `by` (None: just the total), with drift."""
    return cached("breakdown", f"{by}|{scope.key()}", lambda: _breakdown(scope, by))


@dataclass
class Overview:
    principles: Breakdown
    populations: list[metrics.PopulationEstimate]

    @property
    def total(self) -> metrics.GroupStats:
        return self.principles.total

    @property
    def alerts(self) -> list[str]:
        return [key for key, d in self.principles.drift.items() if d.alert]


def overview(*, scope: Scope) -> Overview:
    def compute():
        return Overview(
            principles=_breakdown(scope, "principle"),
            populations=metrics.population_estimates(
                queries.sample_sums(scope), narrowed=narrows_population(scope)
            ),
        )

    return cached("overview", scope.key(), compute)


@dataclass
class VersionRow:
    code: str
    status: str  # added / removed / changed / unchanged between the two versions
    a: metrics.GroupStats | None
    b: metrics.GroupStats | None
    difference: ProportionDiff


@dataclass
class VersionComparison:
    a: ConstitutionVersion
    b: ConstitutionVersion
    rows: list[VersionRow]


def versions_compare(*, scope: Scope, a: ConstitutionVersion, b: ConstitutionVersion):
    """Agreement per principle code under two versions side by side, with which principles'
    text changed between them and a two-proportion test of the difference."""
    from constitutions.selectors import version_diff

    def compute():
        left = _breakdown(scope.narrow(version=a.pk), "principle")
        right = _breakdown(scope.narrow(version=b.pk), "principle")
        statuses: dict[str, str] = {}
        for entry in version_diff(old=a, new=b).principles:
            if statuses.get(entry.code) in (None, "unchanged"):
                statuses[entry.code] = entry.status
        by_a = {row.key: row for row in left.rows}
        by_b = {row.key: row for row in right.rows}
        rows = []
        for code in sorted(set(by_a) | set(by_b) | set(statuses)):
            ra, rb = by_a.get(code), by_b.get(code)
            ea = ra.agreement if ra else metrics.wilson_interval(0, 0)
            eb = rb.agreement if rb else metrics.wilson_interval(0, 0)
            difference = two_proportion_test(
                round(ea.value * ea.n) if ea.n else 0, ea.n,
                round(eb.value * eb.n) if eb.n else 0, eb.n,
            )  # fmt: skip
            rows.append(VersionRow(code, statuses.get(code, "unchanged"), ra, rb, difference))
        return VersionComparison(a, b, rows)

    return cached("versions", f"{a.pk}|{b.pk}|{scope.key()}", compute)


@dataclass
class ReviewerReport:
    reviewers: list[metrics.ReviewerStats]
    inter_rater: metrics.InterRater


def reviewer_report(*, scope: Scope) -> ReviewerReport:
    def compute():
        categories = metrics.human_categories(scope.kind)
        pairs = queries.reviewer_pairs(scope)
        return ReviewerReport(
            reviewers=metrics.reviewer_stats(queries.reviewer_counts(scope), pairs),
            inter_rater=metrics.inter_rater(
                pairs, queries.rating_patterns(scope, categories), categories
            ),
        )

    return cached("reviewers", scope.key(), compute)


def items(
    *,
    scope: Scope,
    outcome: str = "",
    confidence_bin: int | None = None,
    ai_choice: str = "",
    human_choice: str = "",
    reviewer: int | None = None,
) -> QuerySet[SampledLabel]:
    """The audited labels behind a number: human-reviewed (gold unless `outcome="reviewed"`)
    sampled labels in the scope, narrowed to one outcome, confidence bin or confusion cell."""
    from django.db.models import Prefetch

    from reviews.models import Review

    labels = SampledLabel.objects.filter(queries.sampled_where(scope))
    if outcome == "reviewed" or reviewer:
        labels = labels.filter(reviews__isnull=False).distinct()
    else:
        labels = labels.filter(gold__isnull=False)
    if reviewer:
        labels = labels.filter(reviews__reviewer_id=reviewer)
    if outcome == "agree":
        labels = labels.filter(gold__ai_correct=True)
    elif outcome == "disagree":
        labels = labels.filter(gold__ai_correct=False)
    elif outcome in ("stuck", "free"):
        labels = labels.filter(position_stuck=outcome == "stuck")
    if confidence_bin is not None:
        low, high = confidence_bin / queries.BINS, (confidence_bin + 1) / queries.BINS
        labels = labels.filter(ai_confidence__lte=high)
        labels = labels.filter(ai_confidence__gt=low) if confidence_bin else labels
    if ai_choice:
        labels = labels.filter(ai_choice=ai_choice)
    if human_choice:
        human_field = queries.human_field(scope) or "preference"
        labels = labels.filter(**{f"gold__{human_field}": human_choice})
    return (
        labels.select_related(
            "gold", "sample", "constitution_version__constitution", "critic",
        )
        .prefetch_related(
            Prefetch("reviews", queryset=Review.objects.select_related("reviewer"))
        )
        .order_by("-labeled_at", "-id")
    )  # fmt: skip
