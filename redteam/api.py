"""Red-team suites and runs in the API: the same services and selectors as the pages.

Everything needs VIEW_REDTEAM (reviewers audit the judge's verdicts blind, so they do not see
results); each write names its permission, checked by the API base and again in the services.
"""

from django.db.models import Q
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from cai_audit import permissions
from cai_audit.api_base import ApiViewSet
from cai_audit.parsers import FormParser, JSONParser, MultiPartParser
from cai_audit.uploads import request_body_limit
from labeling.serializers import RequeueSerializer

from . import selectors
from .models import Matchup, Run
from .serializers import (
    RedteamMatchupCreateSerializer,
    RedteamMatchupSerializer,
    RedteamRegressionSerializer,
    RedteamReportSerializer,
    RedteamRunCreateSerializer,
    RedteamRunDetailSerializer,
    RedteamRunSerializer,
    SuiteImportSerializer,
    SuiteSerializer,
    SuiteSettingsSerializer,
)
from .services.matchups import matchup_create, matchup_requeue
from .services.recovery import run_requeue_stuck
from .services.runs import run_cancel, run_create
from .services.suites import suite_import, suite_settings_update


class SuiteViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    queryset = selectors.suites_list().select_related("created_by").order_by("name")
    serializer_class = SuiteSerializer
    read_permission = permissions.VIEW_REDTEAM
    action_permissions = dict.fromkeys(
        ("import_suite", "regression_settings"), permissions.MANAGE_SUITES
    )
    filterset_fields = ["name", "run_on_publish", "run_on_release"]

    @extend_schema(
        request={
            "multipart/form-data": SuiteImportSerializer,
            "application/json": SuiteImportSerializer,
        },
        responses={201: SuiteSerializer},
    )
    @action(
        detail=False, methods=["post"], url_path="import",
        parser_classes=[MultiPartParser, FormParser, JSONParser],
    )  # fmt: skip
    def import_suite(self, request):
        """Import a suite from a JSONL or CSV file. All or nothing: a 400 lists each bad line
        in `problems`."""
        with request_body_limit(upload_field="file"):
            data = self.validated(SuiteImportSerializer)
        if "file" in data:
            content, filename = data["file"], data["file"].name
        else:
            content, filename = data["data"], data["filename"]
        suite = suite_import(
            actor=request.user, name=data["name"], data=content, filename=filename,
            description=data["description"],
        )  # fmt: skip
        return Response(SuiteSerializer(self.get_queryset().get(pk=suite.pk)).data, status=201)

    @extend_schema(request=SuiteSettingsSerializer, responses=SuiteSerializer)
    @action(detail=True, methods=["post"], url_path="settings")
    def regression_settings(self, request, pk=None):
        """Regression settings: re-run on publish or release, with these models and options."""
        suite = self.get_object()
        suite_settings_update(
            actor=request.user, suite=suite, **self.validated(SuiteSettingsSerializer)
        )
        return Response(SuiteSerializer(self.get_object()).data)


class RunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    queryset = Run.objects.select_related("created_by").order_by("-created_at")
    read_permission = permissions.VIEW_REDTEAM
    # `matchups` takes a POST too: starting a comparison.
    action_permissions = dict.fromkeys(
        ("create", "cancel", "requeue", "matchup_requeue", "matchups"), permissions.RUN_REDTEAM
    )
    filterset_fields = ["suite", "status", "trigger", "target", "judge", "constitution_version"]

    def get_serializer_class(self):
        return RedteamRunDetailSerializer if self.action == "retrieve" else RedteamRunSerializer

    @extend_schema(request=RedteamRunCreateSerializer, responses={201: RedteamRunDetailSerializer})
    def create(self, request):
        """Start a run: a worker on the `labeling` queue derives the variants and does the
        batches."""
        run = run_create(actor=request.user, **self.validated(RedteamRunCreateSerializer))
        return Response(RedteamRunDetailSerializer(run).data, status=201)

    @extend_schema(request=None, responses=RedteamRunSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        run = run_cancel(actor=request.user, run=self.get_object())
        return Response(RedteamRunSerializer(run).data)

    @extend_schema(request=None, responses=RequeueSerializer)
    @action(detail=True, methods=["post"])
    def requeue(self, request, pk=None):
        """Requeue what of an unfinished run no live worker holds: its preparation, or its
        batches whose worker stopped writing heartbeats (it died) and pending ones whose message
        may be lost. 400 when a live worker holds it all."""
        requeued = run_requeue_stuck(actor=request.user, run=self.get_object())
        return Response(RequeueSerializer(requeued).data)

    @extend_schema(request=None, responses=RedteamMatchupSerializer)
    @action(detail=True, methods=["post"], url_path=r"matchups/(?P<matchup_id>\d+)/requeue")
    def matchup_requeue(self, request, pk=None, matchup_id=None):
        """Queue a failed or stuck comparison of this run again. 400 when it is done or a live
        worker is judging it."""
        run = self.get_object()
        matchup = get_object_or_404(
            Matchup.objects.filter(Q(run_x=run) | Q(run_y=run)), pk=matchup_id
        )
        return Response(
            RedteamMatchupSerializer(matchup_requeue(actor=request.user, matchup=matchup)).data
        )

    @extend_schema(responses=RedteamReportSerializer)
    @action(detail=True, methods=["get"])
    def report(self, request, pk=None):
        """Violation and false-refusal rates with 95% Wilson intervals, overall and by
        category, operator, principle and temperature (null value: no cases)."""
        run = self.get_object()
        return Response(RedteamReportSerializer.from_report(run, selectors.run_report(run)))

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "against",
                OpenApiTypes.INT,
                description="The run to compare with; default: the suite's previous finished run.",
            )  # fmt: skip
        ],
        responses=RedteamRegressionSerializer,
    )
    @action(detail=True, methods=["get"])
    def regression(self, request, pk=None):
        """What got worse since another run of the suite: one-sided two-proportion tests per
        category, principle and operator, Holm-adjusted within each breakdown."""
        run = self.get_object()
        against = request.query_params.get("against", "")
        if against:
            if not against.isdigit():
                raise ValidationError({"against": "Give a run id."})
            before = selectors.runs_finished(run.suite, exclude=run).filter(pk=against).first()
            if before is None:
                raise ValidationError(
                    {"against": f"Run {against} is not another finished run of this suite."}
                )
        else:
            before = selectors.run_previous(run)
            if before is None:
                raise ValidationError(
                    {"against": "No earlier finished run of this suite: name one with ?against=."}
                )
        return Response(
            RedteamRegressionSerializer.from_regression(selectors.run_regression(before, run))
        )

    @extend_schema(methods=["GET"], responses=RedteamMatchupSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request=RedteamMatchupCreateSerializer,
        responses={201: RedteamMatchupSerializer},
    )
    @action(detail=True, methods=["get", "post"])
    def matchups(self, request, pk=None):
        """Win rates of this run against baselines (GET), or start one (POST: the judge
        compares both runs' answers in both orders)."""
        run = self.get_object()
        if request.method == "POST":
            data = self.validated(RedteamMatchupCreateSerializer)
            matchup = matchup_create(
                actor=request.user, run_x=run, run_y=data["baseline"], judge=data["judge"]
            )
            return Response(RedteamMatchupSerializer(matchup).data, status=201)
        rows = []
        for row in selectors.matchups_of(run):
            row["matchup"].win_rate = row["win_rate"]
            rows.append(row["matchup"])
        # A page, like every list of the API (and as the schema says).
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(RedteamMatchupSerializer(page, many=True).data)
