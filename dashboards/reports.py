"""Each dashboard as data: its tables and charts, and the context its page shows. The pages
and the API both read these, so a number is computed one way only."""

from dataclasses import dataclass

from constitutions.models import ConstitutionVersion
from reviews.models import PrincipleFlag

from . import charts, item_human, metrics, selectors, tables
from .scope import Scope


@dataclass
class Report:
    context: dict
    tables: list[tables.Table]

    def as_dict(self) -> dict:
        """For the API: the headline numbers (when the page has them) and every table."""
        out: dict = {"tables": {t.name: t.records() for t in self.tables}}
        total = self.context.get("total")
        if total is not None:
            headline = tables.Table("total", "", tables.STATS_COLUMNS, [tables.stats_row(total)])
            out["total"] = headline.records()[0]
        drift = self.context.get("drift")
        if drift is not None:
            out["drift"] = {"alert": drift.alert, "p_value": drift.p_value}
        if "alerts" in self.context:
            out["principle_alerts"] = self.context["alerts"]
        found = self.context.get("item_human")
        if found is not None:
            # The second source of human evidence, beside reviewer gold (`total`, the tables).
            out["item_human"] = {
                **found.total.as_dict(),
                "by": found.by,
                "groups": [
                    {"group": found.name(key), "key": key, **agreement.as_dict()}
                    for key, agreement in found.rows
                ],
            }
        return out


def _with_item_human(report: "Report", scope: Scope, by: str | None) -> "Report":
    """Add the judge's agreement with the items' human labels (table and API block) where the
    kind has them."""
    found = item_human.item_human_breakdown(scope=scope, by=by)
    if found is not None:
        report.context["item_human"] = found
        report.tables.append(item_human.item_human_table(found, scope))
    return report


def _summary_tables(stats, scope: Scope) -> list[tables.Table]:
    found = []
    if scope.kind in metrics.CHOICES:
        found += [tables.calibration_table(stats, scope), tables.confusion_table(stats, scope)]
    return found


def overview_report(scope: Scope) -> Report:
    data = selectors.overview(scope=scope)
    principles = tables.breakdown_table(data.principles, scope, title="Agreement by principle")
    weekly = tables.weekly_table(data.principles.overall_drift, scope)
    summary = _summary_tables(data.total, scope)
    populations = tables.population_table(data.populations, scope)
    found = [principles, weekly, populations, *summary]
    context = {
        "data": data,
        "total": data.total,
        "drift": data.principles.overall_drift,
        "links": tables.stats_links(scope),
        "charts": {
            "weekly": charts.weekly_line(weekly),
            "principles": charts.rate_bars(
                principles, label_key="group", value_key="agreement", title="Agreement with gold"
            ),
        },
    }
    if scope.kind in metrics.CHOICES:
        context["charts"]["reliability"] = charts.reliability(data.total, summary[0])
    context["alerts"] = data.alerts
    return _with_item_human(Report(context, found), scope, "principle")


def breakdown_report(scope: Scope, by: str) -> Report:
    data = selectors.breakdown(scope=scope, by=by)
    table = tables.breakdown_table(data, scope)
    chart = charts.rate_bars(
        table, label_key="group", value_key="agreement", title="Agreement with gold"
    )
    context = {"by": by, "by_name": by.replace("_", " "), "data": data, "charts": {"groups": chart}}
    return _with_item_human(Report(context, [table]), scope, by)


def principle_report(scope: Scope, code: str) -> Report:
    scope = scope.narrow(principle=code)
    data = selectors.breakdown(scope=scope, by="version")
    versions = tables.breakdown_table(data, scope, title=f"{code} by constitution version")
    domains = tables.breakdown_table(
        selectors.breakdown(scope=scope, by="domain"), scope, title=f"{code} by domain"
    )
    weekly = tables.weekly_table(data.overall_drift, scope)
    summary = _summary_tables(data.total, scope)
    flags = PrincipleFlag.objects.filter(principle_code=code).select_related(
        "reviewer", "constitution_version__constitution"
    )[:50]
    context = {
        "code": code,
        "total": data.total,
        "drift": data.overall_drift,
        "links": tables.stats_links(scope),
        "flags": flags,
        "charts": {"weekly": charts.weekly_line(weekly)},
    }
    if scope.kind in metrics.CHOICES:
        context["charts"]["reliability"] = charts.reliability(data.total, summary[0])
    found = [versions, domains, weekly, *summary]
    return Report(context, found)


def time_report(scope: Scope) -> Report:
    data = selectors.breakdown(scope=scope, by="week")
    table = tables.breakdown_table(data, scope, title="Agreement per week the AI labelled")
    weekly = tables.weekly_table(data.overall_drift, scope)
    context = {"drift": data.overall_drift, "charts": {"weekly": charts.weekly_line(weekly)}}
    return Report(context, [table, weekly])


def versions_report(scope: Scope, a, b) -> Report:
    """`a`, `b`: ConstitutionVersion or None (then the two newest of one constitution)."""
    available = list(
        ConstitutionVersion.objects.select_related("constitution").order_by(
            "constitution__name", "number"
        )
    )
    if a is None or b is None:
        a, b = _default_pair(available)
    context = {"available": available, "a": a, "b": b, "charts": {}}
    found = []
    if a and b:
        comparison = selectors.versions_compare(scope=scope.narrow(version=None), a=a, b=b)
        table = tables.versions_table(comparison, scope)
        found.append(table)
        context["charts"]["versions"] = charts.two_series_bars(
            table, keys=("agreement_a", "agreement_b"), names=(f"v{a.number}", f"v{b.number}")
        )
    return Report(context, found)


def _default_pair(available):
    """The two newest versions of the first constitution that has two."""
    by_constitution: dict = {}
    for version in available:
        by_constitution.setdefault(version.constitution_id, []).append(version)
    for versions_ in by_constitution.values():
        if len(versions_) >= 2:
            return versions_[-2], versions_[-1]
    return None, None


def reviewers_report(scope: Scope) -> Report:
    report = selectors.reviewer_report(scope=scope)
    table = tables.reviewers_table(report, scope)
    found = [table, tables.inter_rater_table(report)]
    chart = charts.rate_bars(
        table,
        label_key="reviewer",
        value_key="agree_gold",
        title="Agrees with gold decided without them",
    )
    context = {"report": report, "charts": {"reviewers": chart}}
    return Report(context, found)
