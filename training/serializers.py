from rest_framework import serializers

from cai_audit.bounds import ID_MAX, bounds
from cai_audit.work.serializers import QueuedJobSerializer

from .models import DatasetSnapshot, ModelPackageJob, SnapshotExportJob, TrainingJob


class SnapshotSerializer(serializers.ModelSerializer):
    created_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    files = serializers.SerializerMethodField()

    class Meta:
        model = DatasetSnapshot
        fields = [
            "id", "name", "format", "label_kind", "policy", "min_confidence", "filters",
            "sha256", "rows", "size_bytes", "stats", "data_file", "files", "created_at",
            "created_by",
        ]  # fmt: skip

    def get_files(self, snapshot) -> list[str]:
        from .services.snapshots import FILES

        return [snapshot.data_file, *FILES]


class SnapshotCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    format = serializers.ChoiceField(choices=DatasetSnapshot.Format.choices)
    policy = serializers.ChoiceField(choices=DatasetSnapshot.Policy.choices)
    min_confidence = serializers.FloatField(
        default=0.0, **bounds(DatasetSnapshot, "min_confidence")
    )
    label_kind = serializers.ChoiceField(
        choices=["preference", "critique", ""], required=False, default=""
    )
    constitution_version = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=ID_MAX
    )
    principle_codes = serializers.ListField(child=serializers.CharField(), required=False)
    categories = serializers.ListField(child=serializers.CharField(), required=False)
    locale = serializers.CharField(required=False, default="", allow_blank=True)
    labeled_from = serializers.DateTimeField(required=False, allow_null=True)
    labeled_to = serializers.DateTimeField(required=False, allow_null=True)
    runs = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=ID_MAX), required=False
    )


class SnapshotExportJobSerializer(QueuedJobSerializer):
    """A queued export; `snapshot` is the snapshot it made, once done."""

    class Meta:
        model = SnapshotExportJob
        fields = [
            *QueuedJobSerializer.FIELDS, "name", "format", "label_kind", "policy",
            "min_confidence", "filters", "snapshot",
        ]  # fmt: skip
        read_only_fields = fields


class ModelPackageJobSerializer(QueuedJobSerializer):
    """The packing of a trained model for download (files/model.tar.gz once done)."""

    class Meta:
        model = ModelPackageJob
        fields = [*QueuedJobSerializer.FIELDS, "training_job"]
        read_only_fields = fields


class TrainingJobSerializer(serializers.ModelSerializer):
    package = ModelPackageJobSerializer(
        read_only=True, allow_null=True, help_text="The trained model's packing for download."
    )

    class Meta:
        model = TrainingJob
        fields = [
            "id", "name", "snapshot", "method", "base_model", "hyperparameters", "status",
            "cancel_requested", "step", "total_steps", "eta_s", "device", "losses", "metrics",
            "lineage", "error", "attempts", "workers_lost", "heartbeat_at", "created_at",
            "started_at", "finished_at", "package",
        ]  # fmt: skip


class TrainingJobCreateSerializer(serializers.Serializer):
    snapshot = serializers.IntegerField(min_value=1, max_value=ID_MAX)
    method = serializers.ChoiceField(choices=TrainingJob.Method.choices)
    base_model = serializers.CharField(max_length=500, default="default")
    name = serializers.CharField(max_length=200, required=False, default="")
    hyperparameters = serializers.DictField(required=False, default=dict)
