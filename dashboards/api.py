"""The dashboards in the API: the same reports the pages show, as JSON.

GET /api/agreement/overview/, /breakdown/?by=principle, /principles/HARM-01/, /time/,
/versions/?a=&b=, /reviewers/, /items/ ; every endpoint takes the dashboard filters
(kind = preference, critique or verdict (the red-team judge); sample, version, critic, judge,
source, principle, category, domain, locale, harm_category, week, labeled_from, labeled_to) and
needs VIEW_AGREEMENT. A judge or source filter on a kind whose labels never have one (red-team
verdicts) is a 400 that says so. The overview and breakdowns carry `item_human` beside reviewer
gold: the AI judge's agreement with the human labels that arrived with the items.
"""

from django.core.paginator import Paginator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from cai_audit import permissions
from cai_audit.api_base import ApiReportViewSet
from constitutions.models import ConstitutionVersion

from . import reports, selectors
from .scope import ItemFilterForm, ScopeForm, item_filters_from, scope_from
from .views import item_rows

SCOPE_PARAMETERS = [
    OpenApiParameter(name, OpenApiTypes.STR, description=str(field.help_text or name))
    for name, field in ScopeForm.base_fields.items()
]


class AgreementViewSet(ApiReportViewSet):
    read_permission = permissions.VIEW_AGREEMENT  # read-only: no unsafe action

    def _scope(self, request):
        scope, errors = scope_from(request.query_params)
        if scope is None:
            raise ValidationError(errors)
        return scope

    def _respond(self, request, report: reports.Report, scope) -> Response:
        return Response({"scope": scope.params(), **report.as_dict()})

    @extend_schema(parameters=SCOPE_PARAMETERS, responses=OpenApiTypes.OBJECT)
    @action(detail=False)
    def overview(self, request):
        scope = self._scope(request)
        return self._respond(request, reports.overview_report(scope), scope)

    @extend_schema(
        parameters=[
            *SCOPE_PARAMETERS,
            OpenApiParameter("by", OpenApiTypes.STR, enum=selectors.BREAKDOWNS),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    @action(detail=False)
    def breakdown(self, request):
        scope, by = self._scope(request), request.query_params.get("by", "principle")
        if by not in selectors.BREAKDOWNS:
            raise ValidationError({"by": f"One of {', '.join(selectors.BREAKDOWNS)}."})
        return self._respond(request, reports.breakdown_report(scope, by), scope)

    @extend_schema(parameters=SCOPE_PARAMETERS, responses=OpenApiTypes.OBJECT)
    @action(detail=False, url_path=r"principles/(?P<code>[^/]+)")
    def principle(self, request, code=None):
        scope = self._scope(request)
        return self._respond(request, reports.principle_report(scope, code), scope)

    @extend_schema(parameters=SCOPE_PARAMETERS, responses=OpenApiTypes.OBJECT)
    @action(detail=False)
    def time(self, request):
        scope = self._scope(request)
        return self._respond(request, reports.time_report(scope), scope)

    @extend_schema(
        parameters=[
            *SCOPE_PARAMETERS,
            OpenApiParameter("a", OpenApiTypes.INT),
            OpenApiParameter("b", OpenApiTypes.INT),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    @action(detail=False)
    def versions(self, request):
        scope = self._scope(request)
        chosen = []
        for key in ("a", "b"):
            value = request.query_params.get(key)
            if not value:
                chosen.append(None)
                continue
            if not value.isdigit() or not ConstitutionVersion.objects.filter(pk=value).exists():
                raise NotFound(f"No constitution version {value!r}.")
            chosen.append(ConstitutionVersion.objects.get(pk=value))
        report = reports.versions_report(scope, *chosen)
        return self._respond(request, report, scope)

    @extend_schema(parameters=SCOPE_PARAMETERS, responses=OpenApiTypes.OBJECT)
    @action(detail=False)
    def reviewers(self, request):
        scope = self._scope(request)
        return self._respond(request, reports.reviewers_report(scope), scope)

    @extend_schema(
        parameters=[
            *SCOPE_PARAMETERS,
            *(
                OpenApiParameter(name, OpenApiTypes.STR, description=str(field.help_text or name))
                for name, field in ItemFilterForm.base_fields.items()
            ),
            OpenApiParameter("page", OpenApiTypes.INT),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    @action(detail=False)
    def items(self, request):
        scope = self._scope(request)
        filters, errors = item_filters_from(request.query_params)
        if filters is None:
            raise ValidationError(errors)
        labels = selectors.items(scope=scope, **filters)
        page = Paginator(labels, 100).get_page(request.query_params.get("page"))
        return Response({
            "scope": scope.params(),
            "count": page.paginator.count,
            "page": page.number,
            "pages": page.paginator.num_pages,
            "results": item_rows(page.object_list),
        })  # fmt: skip
