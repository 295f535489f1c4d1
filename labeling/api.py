"""REST API for items, critic configurations, labeling runs and labels.

Everything here shows AI labels or what made them, so every endpoint needs VIEW_LABELS: reviewers
audit these labels blind and never read them here. Each write names its permission.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.response import Response

from cai_audit import permissions
from cai_audit.api_base import ApiViewSet
from cai_audit.parsers import FormParser, MultiPartParser

from . import selectors
from .models import (
    CriticConfig,
    CritiqueLabel,
    Item,
    ItemSet,
    Judge,
    LabelingRun,
    LabelSource,
    PreferenceLabel,
)
from .serializers import (
    CriticConfigSerializer,
    CritiqueLabelSerializer,
    ItemImportSerializer,
    ItemSerializer,
    ItemSetSerializer,
    JudgeSerializer,
    LabelSourceSerializer,
    PreferenceLabelSerializer,
    ProgressSerializer,
    RequeueSerializer,
    RunCreateSerializer,
    RunDetailSerializer,
    RunSerializer,
)
from .services import critics as critic_services
from .services import items as item_services
from .services import recovery
from .services import runs as run_services
from .services import sources as source_services


class ItemSetViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    read_permission = permissions.VIEW_LABELS
    queryset = ItemSet.objects.select_related("created_by").order_by("-created_at")
    serializer_class = ItemSetSerializer
    parser_classes = [MultiPartParser, FormParser]
    action_permissions = {"create": permissions.IMPORT_ITEMS}

    @extend_schema(request=ItemImportSerializer, responses={201: ItemSetSerializer})
    def create(self, request):
        """Import a file. All or nothing: a 400 lists each bad line by number."""
        data = self.validated(ItemImportSerializer)
        upload = data["file"]
        item_set = item_services.item_set_import(
            actor=request.user,
            name=data["name"],
            data=upload,
            filename=upload.name,
            fmt=data.get("format"),
        )
        return Response(ItemSetSerializer(item_set).data, status=201)


class ItemViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    read_permission = permissions.VIEW_LABELS
    queryset = Item.objects.order_by("item_set_id", "line")
    serializer_class = ItemSerializer
    filterset_fields = ["item_set", "kind", "locale", "harm_category", "domain", "high_stakes"]


class CriticConfigViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    read_permission = permissions.VIEW_LABELS
    queryset = CriticConfig.objects.order_by("name")
    serializer_class = CriticConfigSerializer
    action_permissions = dict.fromkeys(("create", "partial_update"), permissions.MANAGE_CRITICS)

    @extend_schema(request=CriticConfigSerializer, responses={201: CriticConfigSerializer})
    def create(self, request):
        data = self.validated(CriticConfigSerializer)
        critic = critic_services.critic_config_create(actor=request.user, **data)
        return Response(CriticConfigSerializer(critic).data, status=201)

    @extend_schema(request=CriticConfigSerializer, responses=CriticConfigSerializer)
    def partial_update(self, request, pk=None):
        critic = self.get_object()
        data = self.validated(CriticConfigSerializer, instance=critic, partial=True)
        critic = critic_services.critic_config_update(actor=request.user, critic=critic, **data)
        return Response(CriticConfigSerializer(critic).data)


class RunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    read_permission = permissions.VIEW_LABELS
    queryset = LabelingRun.objects.select_related("created_by").order_by("-created_at")
    serializer_class = RunSerializer
    filterset_fields = [
        "task", "status", "constitution_version", "item_set", "critic", "origin", "judge", "source",
    ]  # fmt: skip
    action_permissions = dict.fromkeys(
        ("create", "cancel", "retry", "requeue"), permissions.RUN_LABELING
    )

    @extend_schema(request=RunCreateSerializer, responses={201: RunSerializer})
    def create(self, request):
        """Start a run: its batches go to the `labeling` queue."""
        run = run_services.run_create(actor=request.user, **self.validated(RunCreateSerializer))
        return Response(RunSerializer(run).data, status=201)

    @extend_schema(responses=RunDetailSerializer)
    def retrieve(self, request, pk=None):
        """A run, with the judge's agreement with the items' human labels (`item_human`)."""
        return Response(RunDetailSerializer(self.get_object()).data)

    @extend_schema(responses=ProgressSerializer)
    @action(detail=True, methods=["get"])
    def progress(self, request, pk=None):
        """Done / failed / total labels, rate and ETA."""
        progress = selectors.run_progress(run=self.get_object())
        return Response(ProgressSerializer(progress.as_dict()).data)

    @extend_schema(request=None, responses=RunSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        run = run_services.run_cancel(actor=request.user, run=self.get_object())
        return Response(RunSerializer(run).data)

    @extend_schema(request=None, responses=RunSerializer)
    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None):
        """Queue the failed batches again."""
        run_services.run_retry_failed(actor=request.user, run=self.get_object())
        return Response(RunSerializer(self.get_object()).data)

    @extend_schema(request=None, responses=RequeueSerializer)
    @action(detail=True, methods=["post"])
    def requeue(self, request, pk=None):
        """Requeue stuck batches: those whose worker stopped writing heartbeats (it died) and
        pending ones whose message may be lost. 400 when a live worker holds every open batch."""
        requeued = recovery.run_requeue_stuck(actor=request.user, run=self.get_object())
        return Response(RequeueSerializer(requeued).data)


class CritiqueLabelViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    read_permission = permissions.VIEW_LABELS
    queryset = CritiqueLabel.objects.order_by("run_id", "item_id", "principle_code")
    serializer_class = CritiqueLabelSerializer
    filterset_fields = ["run", "item", "principle_code"]


class PreferenceLabelViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    read_permission = permissions.VIEW_LABELS
    queryset = PreferenceLabel.objects.order_by("run_id", "item_id", "principle_code")
    serializer_class = PreferenceLabelSerializer
    filterset_fields = ["run", "item", "principle_code", "position_stuck", "choice"]


class JudgeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """External judges: AI judges that run elsewhere."""

    read_permission = permissions.VIEW_LABELS
    queryset = Judge.objects.order_by("name")
    serializer_class = JudgeSerializer
    action_permissions = dict.fromkeys(("create", "partial_update"), permissions.MANAGE_SOURCES)

    @extend_schema(request=JudgeSerializer, responses={201: JudgeSerializer})
    def create(self, request):
        data = self.validated(JudgeSerializer)
        judge = source_services.judge_create(actor=request.user, **data)
        return Response(JudgeSerializer(judge).data, status=201)

    @extend_schema(request=JudgeSerializer, responses=JudgeSerializer)
    def partial_update(self, request, pk=None):
        judge = self.get_object()
        data = self.validated(JudgeSerializer, instance=judge, partial=True)
        judge = source_services.judge_update(actor=request.user, judge=judge, **data)
        return Response(JudgeSerializer(judge).data)


class LabelSourceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Label sources: the pipelines and services whose AI labels arrive here."""

    read_permission = permissions.VIEW_LABELS
    queryset = LabelSource.objects.order_by("key")
    serializer_class = LabelSourceSerializer
    filterset_fields = ["judge"]
    action_permissions = dict.fromkeys(("create", "partial_update"), permissions.MANAGE_SOURCES)

    @extend_schema(request=LabelSourceSerializer, responses={201: LabelSourceSerializer})
    def create(self, request):
        data = self.validated(LabelSourceSerializer)
        source = source_services.source_create(actor=request.user, **data)
        return Response(LabelSourceSerializer(source).data, status=201)

    @extend_schema(request=LabelSourceSerializer, responses=LabelSourceSerializer)
    def partial_update(self, request, pk=None):
        source = self.get_object()
        data = self.validated(LabelSourceSerializer, instance=source, partial=True)
        source = source_services.source_update(actor=request.user, source=source, **data)
        return Response(LabelSourceSerializer(source).data)
