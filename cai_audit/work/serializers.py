"""What the API shows of a queued job (cai_audit/work/jobs.py): its status, its progress value
and why it failed. Each kind adds the link to what it made."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .jobs import job_progress


class QueuedJobSerializer(serializers.ModelSerializer):
    """Base of a job's serializer: `Meta.model` names the job, `Meta.fields` adds to FIELDS."""

    FIELDS = [
        "id", "status", "progress", "error", "attempts", "created_at", "started_at",
        "finished_at", "created_by",
    ]  # fmt: skip

    created_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    progress = serializers.SerializerMethodField(
        help_text="done and total units, percent, status, finished, label (what it is doing)."
    )

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_progress(self, job) -> dict:
        return job_progress(job).as_dict()
