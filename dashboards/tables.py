"""Every dashboard table as one structure: rendered as HTML (with a drill-down link per number),
downloaded as CSV or JSON, and returned by the API, so the three never disagree."""

import csv
import io
import math
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse

from cai_audit.spreadsheets import csv_safe
from stats import Estimate

from . import metrics
from .scope import Scope
from .selectors import Breakdown, ReviewerReport, VersionComparison, group_scope

# Estimate columns become value, _low, _high in CSV and JSON; kinds drive HTML formatting.
TEXT, INT, RATE, ESTIMATE, NUMBER, P_VALUE, FLAG = (
    "text",
    "int",
    "rate",
    "estimate",
    "number",
    "p",
    "flag",
)


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    kind: str = TEXT


@dataclass
class Table:
    name: str
    title: str
    columns: list[Column]
    rows: list[dict] = field(default_factory=list)
    links: list[dict] = field(default_factory=list)  # per row: column key -> URL

    def cells(self):
        """(column, value, link) per cell, for templates."""
        for index, row in enumerate(self.rows):
            links = self.links[index] if index < len(self.links) else {}
            yield [(column, row.get(column.key), links.get(column.key)) for column in self.columns]

    def records(self) -> list[dict]:
        """Flat JSON-ready rows: estimates split into value/low/high, NaN as null."""
        out = []
        for row in self.rows:
            record = {}
            for column in self.columns:
                value = row.get(column.key)
                if isinstance(value, Estimate):
                    record[column.key] = _number(value.value)
                    record[f"{column.key}_low"] = _number(value.low)
                    record[f"{column.key}_high"] = _number(value.high)
                    record[f"{column.key}_n"] = value.n
                else:
                    record[column.key] = _number(value) if isinstance(value, float) else value
            out.append(record)
        return out

    def as_dict(self) -> dict:
        return {"name": self.name, "title": self.title, "rows": self.records()}

    def csv(self) -> str:
        records = self.records()
        header = list(records[0]) if records else [column.key for column in self.columns]
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        for record in records:
            writer.writerow([csv_safe(record.get(key)) for key in header])
        return buffer.getvalue()


def _number(value):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def items_url(scope: Scope, **extra) -> str:
    chosen = {key: value for key, value in extra.items() if value not in ("", None)}
    params = scope.params() | chosen
    return reverse("dashboards:items") + ("?" + urlencode(params) if params else "")


STATS_COLUMNS = [
    Column("labels", "AI labels", INT),
    Column("stuck_share", "Position-stuck", RATE),
    Column("reviews", "Reviews", INT),
    Column("review_agreement", "Reviewers agree with AI", RATE),
    Column("gold", "Gold labels", INT),
    Column("agreement", "Agreement with gold", RATE),
    Column("kappa", "Cohen's kappa", ESTIMATE),
    Column("ece", "Calibration error (ECE)", NUMBER),
    Column("agreement_stuck", "Agreement when stuck", RATE),
    Column("agreement_free", "Agreement when not stuck", RATE),
    Column("weighted_error", "Weighted AI error rate (1/π)", RATE),
]


def stats_row(stats: metrics.GroupStats) -> dict:
    bias = stats.bias
    return {
        "labels": stats.labels,
        "stuck_share": stats.stuck_share,
        "reviews": stats.reviews,
        "review_agreement": stats.review_agreement,
        "gold": stats.gold,
        "agreement": stats.agreement,
        "kappa": stats.kappa,
        "ece": stats.ece,
        "agreement_stuck": bias.agreement_stuck if bias else None,
        "agreement_free": bias.agreement_free if bias else None,
        "weighted_error": stats.weighted_error,
    }


def stats_links(scope: Scope) -> dict:
    return {
        "gold": items_url(scope),
        "reviews": items_url(scope, outcome="reviewed"),
        "review_agreement": items_url(scope, outcome="reviewed"),
        "agreement": items_url(scope, outcome="disagree"),
        "kappa": items_url(scope),
        "stuck_share": items_url(scope, outcome="stuck"),
        "agreement_stuck": items_url(scope, outcome="stuck"),
        "agreement_free": items_url(scope, outcome="free"),
        "weighted_error": items_url(scope, outcome="disagree"),
    }


def breakdown_table(breakdown: Breakdown, scope: Scope, *, title: str = "") -> Table:
    by = breakdown.by or "all"
    columns = [Column("group", by.replace("_", " ").capitalize())] + STATS_COLUMNS
    columns += [Column("drift_p", "Drift p (last week)", P_VALUE), Column("drift", "Drift", FLAG)]
    if scope.kind not in metrics.CHOICES:  # critiques: no choice, confidence or position bias
        hidden = {"stuck_share", "kappa", "ece", "agreement_stuck", "agreement_free"}
        columns = [column for column in columns if column.key not in hidden]
    if scope.sample is None:
        columns = [column for column in columns if column.key != "weighted_error"]
    table = Table(f"by_{by}", title or f"Agreement by {by.replace('_', ' ')}", columns)
    for stats in breakdown.rows:
        narrowed = group_scope(scope, breakdown.by, stats.key)
        drift = breakdown.drift.get(stats.key)
        table.rows.append(
            {"group": breakdown.name(stats.key), "key": stats.key, **stats_row(stats),
             "drift_p": drift.p_value if drift else None, "drift": bool(drift and drift.alert)}
        )  # fmt: skip
        table.links.append(
            {"group": _group_page(breakdown.by, stats.key, narrowed)} | stats_links(narrowed)
        )
    return table


def _group_page(by: str, key, scope: Scope) -> str:
    if by == "principle" and key:
        return reverse("dashboards:principle", args=[key]) + _query(scope.narrow(principle=""))
    return reverse("dashboards:overview") + _query(scope)


def _query(scope: Scope) -> str:
    params = scope.params()
    return "?" + urlencode(params) if params else ""


def weekly_table(drift: metrics.Drift, scope: Scope) -> Table:
    table = Table(
        "weekly", "Agreement per week the AI labelled",
        [Column("week", "Week"), Column("agreement", "Agreement with gold", RATE)],
    )  # fmt: skip
    for period in drift.periods:
        week = period.week.date() if hasattr(period.week, "date") else period.week
        table.rows.append({"week": week.isoformat(), "agreement": period.agreement})
        table.links.append({"agreement": items_url(scope.narrow(week=week), outcome="disagree")})
    return table


def calibration_table(stats: metrics.GroupStats, scope: Scope) -> Table:
    table = Table(
        "calibration", "Calibration: AI confidence against how often humans agree",
        [Column("bin", "Confidence"), Column("count", "Gold labels", INT),
         Column("mean_confidence", "Mean confidence", NUMBER),
         Column("observed_rate", "Humans agree", NUMBER)],
    )  # fmt: skip
    for index, confidence_bin in enumerate(stats.calibration):
        if not confidence_bin.count:
            continue
        table.rows.append(
            {"bin": f"{confidence_bin.low:.1f}–{confidence_bin.high:.1f}",
             "count": confidence_bin.count, "mean_confidence": confidence_bin.mean_confidence,
             "observed_rate": confidence_bin.observed_rate}
        )  # fmt: skip
        table.links.append({"count": items_url(scope, bin=index)})
    return table


def confusion_table(stats: metrics.GroupStats, scope: Scope) -> Table:
    ai_choices, human_choices = metrics.CHOICES[scope.kind]
    columns = [Column("ai", "AI chose ↓ / humans chose →")]
    columns += [Column(human, human, INT) for human in human_choices]
    table = Table("confusion", "AI choice against gold choice", columns)
    for ai, counts in zip(ai_choices, stats.confusion or [], strict=False):
        table.rows.append({"ai": ai, **dict(zip(human_choices, counts, strict=True))})
        table.links.append(
            {human: items_url(scope, ai_choice=ai, human_choice=human) for human in human_choices}
        )
    return table


def population_table(estimates: list[metrics.PopulationEstimate], scope: Scope) -> Table:
    table = Table(
        "populations", "AI error rate of each sample's whole population",
        [Column("sample", "Sample"), Column("strategy", "Design"),
         Column("population", "Population", INT), Column("gold", "Gold labels", INT),
         Column("weighted", "Weighted error rate (Horvitz–Thompson)", RATE),
         Column("unweighted", "Unweighted share (biased under uncertainty sampling)", RATE)],
    )  # fmt: skip
    for estimate in estimates:
        table.rows.append(
            {"sample": estimate.name, "strategy": estimate.strategy,
             "population": estimate.population, "gold": estimate.gold,
             "weighted": estimate.weighted, "unweighted": estimate.unweighted}
        )  # fmt: skip
        sample_scope = Scope(kind=scope.kind, sample=estimate.sample)  # a sample holds one kind
        table.links.append(
            {"sample": reverse("reviews:sample", args=[estimate.sample]),
             "weighted": reverse("dashboards:overview") + _query(sample_scope),
             "gold": items_url(sample_scope)}
        )  # fmt: skip
    return table


def versions_table(comparison: VersionComparison, scope: Scope) -> Table:
    a, b = f"v{comparison.a.number}", f"v{comparison.b.number}"
    table = Table(
        "versions", f"Agreement by principle: {a} against {b}",
        [Column("code", "Principle"), Column("status", f"Text {a} → {b}"),
         Column("gold_a", f"Gold {a}", INT), Column("agreement_a", f"Agreement {a}", RATE),
         Column("gold_b", f"Gold {b}", INT), Column("agreement_b", f"Agreement {b}", RATE),
         Column("difference", "Difference (95% CI)", RATE), Column("p_value", "p", P_VALUE)],
    )  # fmt: skip
    for row in comparison.rows:
        difference, stats_a, stats_b = row.difference, row.a, row.b
        table.rows.append(
            {"code": row.code, "status": row.status,
             "gold_a": stats_a.gold if stats_a else 0,
             "agreement_a": stats_a.agreement if stats_a else None,
             "gold_b": stats_b.gold if stats_b else 0,
             "agreement_b": stats_b.agreement if stats_b else None,
             "difference": Estimate(difference.difference, difference.low, difference.high,
                                    difference.n1 + difference.n2),
             "p_value": difference.p_value}
        )  # fmt: skip
        table.links.append(
            {"agreement_a": items_url(scope.narrow(version=comparison.a.pk, principle=row.code)),
             "agreement_b": items_url(scope.narrow(version=comparison.b.pk, principle=row.code))}
        )  # fmt: skip
    return table


def reviewers_table(report: ReviewerReport, scope: Scope) -> Table:
    table = Table(
        "reviewers", "Reviewer quality",
        [Column("reviewer", "Reviewer"), Column("reviews", "Reviews", INT),
         Column("agree_gold", "Agrees with gold decided without them", RATE),
         Column("agree_peers", "Agrees with peers", RATE),
         Column("agree_ai", "Agrees with the AI", RATE),
         Column("seconds", "Mean seconds per item", NUMBER)],
    )  # fmt: skip
    for reviewer in report.reviewers:
        table.rows.append(
            {"reviewer": reviewer.username, "reviews": reviewer.reviews,
             "agree_gold": reviewer.agree_gold, "agree_peers": reviewer.agree_peers,
             "agree_ai": reviewer.agree_ai, "seconds": reviewer.seconds}
        )  # fmt: skip
        url = items_url(scope, reviewer=reviewer.reviewer)
        table.links.append({"reviews": url, "agree_gold": url, "agree_peers": url})
    return table


def inter_rater_table(report: ReviewerReport) -> Table:
    inter_rater = report.inter_rater
    table = Table(
        "inter_rater", "Human against human",
        [Column("statistic", "Statistic"), Column("value", "Value", NUMBER),
         Column("low", "95% low", NUMBER), Column("high", "95% high", NUMBER)],
    )  # fmt: skip

    def add(name: str, value, estimate: Estimate | None = None) -> None:
        if estimate is not None:
            value = estimate.value
        low, high = (estimate.low, estimate.high) if estimate is not None else (None, None)
        table.rows.append({"statistic": name, "value": value, "low": low, "high": high})

    add("Labels with 2+ reviews", float(inter_rater.labels))
    add("Raw agreement between two reviewers", None, inter_rater.raw_agreement)
    add("Cohen's kappa (first vs second reviewer)", None, inter_rater.cohen_kappa)
    add("Fleiss' kappa", inter_rater.fleiss_kappa)
    add("Krippendorff's alpha (nominal)", inter_rater.krippendorff_alpha)
    return table
