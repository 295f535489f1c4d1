from django.conf import settings
from rest_framework import serializers

from cai_audit.bounds import bounds
from cai_audit.uploads import upload_size_check
from constitutions.models import ConstitutionVersion

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
from .services.critics import FIELDS as CRITIC_FIELDS
from .services.critics import critic_endpoint_policy


class ItemSetSerializer(serializers.ModelSerializer):
    created_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = ItemSet
        fields = ["id", "name", "source_filename", "item_count", "created_at", "created_by"]


class ItemImportSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="JSONL or CSV, optionally gzipped.")
    name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    format = serializers.ChoiceField(choices=["jsonl", "csv"], required=False)

    def validate_file(self, upload):
        upload_size_check(upload, limit=settings.CAI_IMPORT_ITEMS_MAX_BYTES)
        return upload


class ItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = Item
        fields = [
            "id", "item_set", "line", "kind", "external_id", "prompt", "response_a",
            "response_b", "human_choice", "domain", "harm_category", "locale", "high_stakes",
            "source", "metadata",
        ]  # fmt: skip


class CriticConfigSerializer(serializers.ModelSerializer):
    class Meta:
        model = CriticConfig
        fields = ["id", *CRITIC_FIELDS, "created_at"]
        read_only_fields = ["created_at"]

    def validate(self, data):
        """Servers and key variables outside the allow-lists are field errors (400), before the
        service (and, at run time, the registry) refuses them too."""
        current = self.instance

        def value(name: str):
            return data.get(name, getattr(current, name, "") if current else "")

        config = {name: value(name) or "" for name in ("backend", "base_url", "api_key_env")}
        problems = critic_endpoint_policy().config_problems(config)
        if problems:
            raise serializers.ValidationError(problems)
        return data


class RunCreateSerializer(serializers.Serializer):
    constitution_version = serializers.PrimaryKeyRelatedField(
        queryset=ConstitutionVersion.objects.all()
    )
    item_set = serializers.PrimaryKeyRelatedField(queryset=ItemSet.objects.all())
    critic = serializers.PrimaryKeyRelatedField(queryset=CriticConfig.objects.all())
    task = serializers.ChoiceField(choices=LabelingRun.Task.choices)
    selection = serializers.ChoiceField(choices=LabelingRun.Selection.choices, default="all")
    selection_value = serializers.CharField(required=False, allow_blank=True, default="")
    item_limit = serializers.IntegerField(
        required=False, allow_null=True, **bounds(LabelingRun, "item_limit")
    )
    seed = serializers.IntegerField(default=0, **bounds(LabelingRun, "seed"))
    batch_size = serializers.IntegerField(default=16, **bounds(LabelingRun, "batch_size"))


class ProgressSerializer(serializers.Serializer):
    done = serializers.IntegerField()
    failed = serializers.IntegerField()
    total = serializers.IntegerField()
    percent = serializers.FloatField()
    batches_done = serializers.IntegerField()
    batches_failed = serializers.IntegerField()
    batches_total = serializers.IntegerField()
    rate_per_s = serializers.FloatField(allow_null=True)
    eta_s = serializers.FloatField(allow_null=True)
    finished = serializers.BooleanField()


class RunSerializer(serializers.ModelSerializer):
    created_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = LabelingRun
        fields = [
            "id", "constitution_version", "item_set", "critic", "task", "selection",
            "selection_value", "item_limit", "seed", "batch_size", "status", "total_units",
            "total_batches", "prompt_templates", "critic_snapshot", "created_at", "created_by",
            "started_at", "finished_at", "origin", "judge", "source",
        ]  # fmt: skip


class RunDetailSerializer(RunSerializer):
    """A run with its headline numbers: for preference runs, the judge's agreement with the
    human labels that arrived with the items (`item_human`: n, agreement with a Wilson interval,
    Cohen's kappa), the evidence beside reviewer gold."""

    item_human = serializers.SerializerMethodField()

    class Meta(RunSerializer.Meta):
        fields = [*RunSerializer.Meta.fields, "item_human"]

    def get_item_human(self, run) -> dict | None:
        from .evidence import run_item_human

        found = run_item_human(run=run)
        return found.as_dict() if found is not None else None


PROVENANCE_MAX_CHARS = 10_000


class JudgeSerializer(serializers.ModelSerializer):
    description = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    provenance = serializers.JSONField(required=False, help_text="A JSON object.")

    class Meta:
        model = Judge
        fields = ["id", "name", "model", "version", "description", "provenance", "created_at"]
        read_only_fields = ["created_at"]

    def validate_provenance(self, value):
        import json

        if value is None:
            return {}
        if not isinstance(value, dict):
            raise serializers.ValidationError("Provenance must be a JSON object.")
        if len(json.dumps(value)) > PROVENANCE_MAX_CHARS:
            raise serializers.ValidationError(f"At most {PROVENANCE_MAX_CHARS} characters.")
        return value


class LabelSourceSerializer(serializers.ModelSerializer):
    description = serializers.CharField(required=False, allow_blank=True, max_length=5000)

    class Meta:
        model = LabelSource
        fields = ["id", "key", "name", "description", "judge", "created_at"]
        read_only_fields = ["created_at"]


PROVENANCE = [
    "id", "run", "item", "principle_code", "principle_category", "principle_locale", "model_id",
    "sampling", "latency_ms", "created_at", "domain", "locale", "harm_category", "high_stakes",
]  # fmt: skip


class CritiqueLabelSerializer(serializers.ModelSerializer):
    class Meta:
        model = CritiqueLabel
        fields = [*PROVENANCE, "critique", "revision"]


class PreferenceLabelSerializer(serializers.ModelSerializer):
    class Meta:
        model = PreferenceLabel
        fields = [
            *PROVENANCE, "p_a_first", "p_a_second", "p_a", "confidence", "margin", "entropy",
            "position_stuck", "option_mass", "choice",
        ]  # fmt: skip


class RequeueSerializer(serializers.Serializer):
    """What "Requeue stuck batches" did."""

    requeued = serializers.ListField(
        child=serializers.IntegerField(), source="batch_ids", help_text="Batches queued again."
    )
    lost = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="Of those, the batches whose worker had stopped writing heartbeats.",
    )
    alive = serializers.IntegerField(help_text="Running batches left to their live worker.")
    detail = serializers.CharField(source="summary", help_text="The same, in words.")
