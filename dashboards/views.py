"""Agreement dashboards. Every page takes the same filters (dashboards.scope), every table on it
downloads as CSV or JSON (`?download=csv&table=<name>`), and every number links to the items
behind it. The filter form swaps the page body with htmx; links work without JavaScript."""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cai_audit import permissions
from cai_audit.error_pages import bad_request
from cai_audit.permissions import permission_required
from constitutions.models import ConstitutionVersion
from labeling import kinds
from labeling.models import CriticConfig, Judge, LabelSource
from reviews.models import ReviewSample
from reviews.selectors import ai_labels_attach

from . import reports, selectors, tables
from .scope import Scope, item_filters_from, scope_from


def _download(request: HttpRequest, found: dict[str, tables.Table]) -> HttpResponse | None:
    fmt = request.GET.get("download")
    if not fmt:
        return None
    table = found.get(request.GET.get("table", ""))
    if table is None or fmt not in ("csv", "json"):
        raise Http404("No such table or format: use download=csv|json and a table on this page.")
    if fmt == "json":
        response = JsonResponse(table.as_dict(), json_dumps_params={"indent": 2})
    else:
        response = HttpResponse(table.csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{table.name}.{fmt}"'
    return response


def _page(request, template: str, scope: Scope, report: reports.Report):
    by_name = {table.name: table for table in report.tables}
    download = _download(request, by_name)
    if download is not None:
        return download
    context = report.context | {
        "scope": scope,
        "tables": by_name,
        "query": scope.params(),
        "filters": _filter_choices(scope),
        # Navigation keeps the label kind (the other filters belong to the page they were set on).
        "kind_query": "" if scope.kind == "preference" else f"?kind={scope.kind}",
        "kind": kinds.get(scope.kind),
        "kinds": kinds.all(),
    }
    return render(request, template, context)


def _filter_choices(scope: Scope) -> dict:
    return {
        "samples": ReviewSample.objects.filter(label_kind=scope.kind).values_list("pk", "name")[
            :50
        ],
        "versions": [
            (v.pk, f"{v.constitution.name} v{v.number}")
            for v in ConstitutionVersion.objects.select_related("constitution").order_by(
                "constitution__name", "number"
            )
        ],
        "critics": CriticConfig.objects.values_list("pk", "name"),
        # Only kinds whose labels can come from elsewhere are filtered by judge and source.
        "external": kinds.get(scope.kind).lookup("source") is not None,
        "judges": Judge.objects.values_list("pk", "name"),
        "sources": LabelSource.objects.values_list("pk", "key"),
    }


def _scope_or_400(request):
    scope, errors = scope_from(request.GET)
    if scope is None:
        message = "; ".join(f"{k}: {v[0]['message']}" for k, v in errors.items())
        return None, bad_request(request, f"Bad filter: {message}")
    return scope, None


def dashboard_view(view):
    """Login, the dashboards permission, GET only, and a parsed scope (400 when it is bad)."""

    @require_GET
    @permission_required(permissions.VIEW_AGREEMENT)
    def wrapped(request, *args, **kwargs):
        scope, error = _scope_or_400(request)
        return error or view(request, scope, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@dashboard_view
def overview(request: HttpRequest, scope: Scope) -> HttpResponse:
    report = reports.overview_report(scope)
    return _page(request, "dashboards/overview.html", scope, report)


@dashboard_view
def breakdown(request: HttpRequest, scope: Scope, by: str) -> HttpResponse:
    if by not in selectors.BREAKDOWNS:
        raise Http404(f"No breakdown by {by}.")
    return _page(request, "dashboards/breakdown.html", scope, reports.breakdown_report(scope, by))


@dashboard_view
def principle(request: HttpRequest, scope: Scope, code: str) -> HttpResponse:
    report = reports.principle_report(scope, code)
    return _page(request, "dashboards/principle.html", scope, report)


@dashboard_view
def time(request: HttpRequest, scope: Scope) -> HttpResponse:
    return _page(request, "dashboards/time.html", scope, reports.time_report(scope))


@dashboard_view
def versions(request: HttpRequest, scope: Scope) -> HttpResponse:
    try:
        a, b = (_version(request.GET.get(key)) for key in ("a", "b"))
    except ValueError:
        return bad_request(request, "Versions a and b are ids.")
    return _page(request, "dashboards/versions.html", scope, reports.versions_report(scope, a, b))


def _version(value) -> ConstitutionVersion | None:
    return ConstitutionVersion.objects.filter(pk=int(value)).first() if value else None


@dashboard_view
def reviewers(request: HttpRequest, scope: Scope) -> HttpResponse:
    return _page(request, "dashboards/reviewers.html", scope, reports.reviewers_report(scope))


ITEM_FILTERS = ("outcome", "bin", "ai_choice", "human_choice", "reviewer")
ITEM_COLUMNS = [
    tables.Column("label", "Sampled label"),
    tables.Column("principle", "Principle"),
    tables.Column("ai_choice", "AI"),
    tables.Column("ai_confidence", "Confidence", tables.NUMBER),
    tables.Column("position_stuck", "Stuck"),
    tables.Column("gold", "Gold"),
    tables.Column("ai_correct", "AI right"),
    tables.Column("reviews", "Reviews"),
    tables.Column("prompt", "Prompt"),
]


def item_columns(kind: str) -> list[tables.Column]:
    """The item table's columns: the common ones, and those the label's kind adds (a red-team
    verdict's rows carry the target model's answer)."""
    extra = kinds.get(kind).item_columns
    return [*ITEM_COLUMNS, *(tables.Column(key, title) for key, title in extra)]


def _human_choice(judgment, kind) -> str:
    """A review's or gold label's answer: the preference or class chosen, if the kind has one."""
    return getattr(judgment, kind.human_field) if kind.human_field else ""


def item_row(label) -> dict:
    """One item table row; the label's AI label must be attached (selectors.ai_labels_attach)."""
    kind = kinds.get(label.kind)
    ai = label.ai_label
    gold = getattr(label, "gold", None)
    messages = kind.blind(ai)["prompt"]
    return {
        "label": label.pk,
        "principle": label.principle_code,
        "ai_choice": label.ai_choice,
        "ai_confidence": label.ai_confidence,
        "position_stuck": label.position_stuck,
        "gold": _human_choice(gold, kind) if gold else "",
        "ai_correct": gold.ai_correct if gold else None,
        "reviews": "; ".join(
            f"{r.reviewer.get_username()}: "
            + (_human_choice(r, kind) or ("agree" if r.ai_correct else "disagree"))
            for r in label.reviews.all()
        ),
        "prompt": messages[-1]["content"] if messages else "",
        **kind.cells(ai),
    }


def item_rows(labels) -> list[dict]:
    """The item table's rows, the AI labels loaded in one query per kind."""
    return [item_row(label) for label in ai_labels_attach(labels)]


@dashboard_view
def items(request: HttpRequest, scope: Scope) -> HttpResponse:
    """The labels behind a number, with the AI verdict, the reviews and the gold answer."""
    filters, errors = item_filters_from(request.GET)
    if filters is None:
        message = "; ".join(f"{k}: {v[0]['message']}" for k, v in errors.items())
        return bad_request(request, f"Bad filter: {message}")
    labels = selectors.items(scope=scope, **filters)
    page = Paginator(labels, 50).get_page(request.GET.get("page"))
    columns = item_columns(scope.kind)
    table = tables.Table("items", "Items", columns, item_rows(page.object_list))
    extra = {k: request.GET.get(k, "") for k in ITEM_FILTERS}
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "labels": page.object_list,
        "extra": extra,
        "page_query": query.urlencode(),
    }
    if request.GET.get("download"):
        table.rows = item_rows(labels[:10000])
    return _page(request, "dashboards/items.html", scope, reports.Report(context, [table]))
