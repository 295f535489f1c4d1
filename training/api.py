"""Snapshots and training jobs in the API: the same services as the pages."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.response import Response

from cai_audit import permissions
from cai_audit.api_base import ApiViewSet
from cai_audit.errors import DomainError

from .models import DatasetSnapshot, TrainingJob
from .queries import SnapshotFilter
from .serializers import (
    SnapshotCreateSerializer,
    SnapshotSerializer,
    TrainingJobCreateSerializer,
    TrainingJobSerializer,
)
from .services.jobs import job_cancel, job_create
from .services.recovery import job_requeue
from .services.snapshots import snapshot_create, snapshot_path


class SnapshotViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    queryset = DatasetSnapshot.objects.select_related("created_by")
    serializer_class = SnapshotSerializer
    # Datasets hold labelled content: reading them needs the same roles as making them.
    read_permission = permissions.SEE_TRAINING
    action_permissions = {"create": permissions.EXPORT_DATASET}

    @extend_schema(request=SnapshotCreateSerializer, responses={201: SnapshotSerializer})
    def create(self, request):
        incoming = SnapshotCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        where = SnapshotFilter(
            constitution_version=data.pop("constitution_version", None),
            principle_codes=tuple(data.pop("principle_codes", ())),
            categories=tuple(data.pop("categories", ())),
            locale=data.pop("locale", ""),
            labeled_from=data.pop("labeled_from", None),
            labeled_to=data.pop("labeled_to", None),
            runs=tuple(data.pop("runs", ())),
        )
        snapshot = snapshot_create(
            actor=request.user, name=data["name"], fmt=data["format"], policy=data["policy"],
            min_confidence=data["min_confidence"], label_kind=data["label_kind"], where=where,
        )  # fmt: skip
        return Response(SnapshotSerializer(snapshot).data, status=201)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, url_path=r"files/(?P<name>[\w.\-]+)")
    def files(self, request, pk=None, name=None):
        """Download one file of the snapshot: its data file, README.md (the dataset card),
        manifest.json or provenance.jsonl."""
        snapshot = self.get_object()
        try:
            path = snapshot_path(snapshot, name)
        except DomainError as error:
            raise Http404(str(error)) from None
        return FileResponse(path.open("rb"), as_attachment=True, filename=name)


class TrainingJobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    queryset = TrainingJob.objects.select_related("snapshot")
    serializer_class = TrainingJobSerializer
    read_permission = permissions.SEE_TRAINING
    action_permissions = dict.fromkeys(("create", "cancel", "requeue"), permissions.RUN_TRAINING)

    @extend_schema(request=TrainingJobCreateSerializer, responses={201: TrainingJobSerializer})
    def create(self, request):
        incoming = TrainingJobCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        snapshot = get_object_or_404(DatasetSnapshot, pk=data["snapshot"])
        job = job_create(
            actor=request.user, snapshot=snapshot, method=data["method"],
            base_model=data["base_model"], name=data["name"],
            hyperparameters=data["hyperparameters"],
        )  # fmt: skip
        return Response(TrainingJobSerializer(job).data, status=201)

    @extend_schema(request=None, responses=TrainingJobSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return Response(
            TrainingJobSerializer(job_cancel(actor=request.user, job=self.get_object())).data
        )

    @extend_schema(request=None, responses=TrainingJobSerializer)
    @action(detail=True, methods=["post"])
    def requeue(self, request, pk=None):
        """Queue a stuck or failed job again (its worker died, or it failed); it resumes from its
        last checkpoint. 400 when it is done or cancelled, or a live worker is training it."""
        return Response(
            TrainingJobSerializer(job_requeue(actor=request.user, job=self.get_object())).data
        )
