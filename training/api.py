"""Snapshots and training jobs in the API: the same services as the pages."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.reverse import reverse

from cai_audit import permissions
from cai_audit.api_base import ApiViewSet
from cai_audit.errors import DomainError
from labeling.filters import LabelFilter

from .models import DatasetSnapshot, SnapshotExportJob, TrainingJob
from .serializers import (
    ModelPackageJobSerializer,
    SnapshotCreateSerializer,
    SnapshotExportJobSerializer,
    SnapshotSerializer,
    TrainingJobCreateSerializer,
    TrainingJobSerializer,
)
from .services.exports import snapshot_export_queue, snapshot_export_retry
from .services.jobs import job_artifact, job_cancel, job_create
from .services.packages import ModelNotPacked, model_package_request
from .services.recovery import job_requeue
from .services.snapshots import snapshot_path


class SnapshotViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    queryset = DatasetSnapshot.objects.select_related("created_by")
    serializer_class = SnapshotSerializer
    # Datasets hold labelled content: reading them needs the same roles as making them.
    read_permission = permissions.SEE_TRAINING
    action_permissions = {"create": permissions.EXPORT_DATASET}

    @extend_schema(request=SnapshotCreateSerializer, responses={202: SnapshotExportJobSerializer})
    def create(self, request):
        """Queue an export: 202 with the export job, whose URL (also in the Location header)
        says how far it is and, once done, which snapshot it made."""
        incoming = SnapshotCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        locale = data.pop("locale", "")
        where = LabelFilter(
            constitution_version=data.pop("constitution_version", None),
            principle_codes=tuple(data.pop("principle_codes", ())),
            categories=tuple(data.pop("categories", ())),
            locales=(locale,) if locale else (),
            created_from=data.pop("labeled_from", None),
            created_to=data.pop("labeled_to", None),
            runs=tuple(data.pop("runs", ())),
        )
        job = snapshot_export_queue(
            actor=request.user, name=data["name"], fmt=data["format"], policy=data["policy"],
            min_confidence=data["min_confidence"], label_kind=data["label_kind"], where=where,
        )  # fmt: skip
        location = reverse("snapshot-export-detail", args=[job.pk], request=request)
        return Response(
            SnapshotExportJobSerializer(job).data, status=202, headers={"Location": location}
        )

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


class SnapshotExportJobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """Queued snapshot exports: poll one until its status is done (then `snapshot` names the
    snapshot) or failed (then `error` says why, and retry queues it again)."""

    queryset = SnapshotExportJob.objects.select_related("created_by")
    serializer_class = SnapshotExportJobSerializer
    read_permission = permissions.SEE_TRAINING
    action_permissions = {"retry": permissions.EXPORT_DATASET}
    filterset_fields = ["status"]

    @extend_schema(request=None, responses={202: SnapshotExportJobSerializer})
    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None):
        """Queue a failed export again (400 unless it failed)."""
        job = snapshot_export_retry(actor=request.user, job=self.get_object())
        return Response(SnapshotExportJobSerializer(job).data, status=202)


class TrainingJobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    queryset = TrainingJob.objects.select_related("snapshot", "package")
    serializer_class = TrainingJobSerializer
    read_permission = permissions.SEE_TRAINING
    action_permissions = dict.fromkeys(
        ("create", "cancel", "requeue", "package"), permissions.RUN_TRAINING
    )

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

    @extend_schema(request=None, responses={202: ModelPackageJobSerializer})
    @action(detail=True, methods=["post"])
    def package(self, request, pk=None):
        """Pack the trained model for download: a done job's model is packed by a worker when
        the job ends; this packs one from before that, or packs again after a failure. 400 when
        the job is not done or its model is packed or being packed."""
        package = model_package_request(actor=request.user, job=self.get_object())
        return Response(ModelPackageJobSerializer(package).data, status=202)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, url_path=r"files/(?P<name>[\w.\-]+)")
    def files(self, request, pk=None, name=None):
        """Download metrics.json or the trained model (model.tar.gz). 409 while the model is
        being packed (the job's `package` says how far), or when its packing failed."""
        try:
            path = job_artifact(self.get_object(), name)
        except ModelNotPacked:
            raise
        except DomainError as error:
            raise Http404(str(error)) from None
        return FileResponse(path.open("rb"), as_attachment=True, filename=name)
