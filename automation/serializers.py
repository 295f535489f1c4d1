"""Input and output of the automation rules API (automation.api)."""

from django.contrib.auth import get_user_model
from rest_framework import serializers

from labeling import kinds
from labeling.models import CriticConfig
from redteam.models import Suite

from .filters import FILTER_FIELDS
from .models import AutomationRule, Window

LIST_MAX = 50


class LabelFilterSerializer(serializers.Serializer):
    """The label filter of a rule: every field a list (at most 50 values)."""

    principle_codes = serializers.ListField(
        child=serializers.CharField(max_length=100), max_length=LIST_MAX, required=False
    )
    categories = serializers.ListField(
        child=serializers.CharField(max_length=100), max_length=LIST_MAX, required=False
    )
    domains = serializers.ListField(
        child=serializers.CharField(max_length=100), max_length=LIST_MAX, required=False
    )
    locales = serializers.ListField(
        child=serializers.CharField(max_length=35), max_length=LIST_MAX, required=False
    )
    harm_categories = serializers.ListField(
        child=serializers.CharField(max_length=100), max_length=LIST_MAX, required=False
    )
    judges = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        max_length=LIST_MAX,
        required=False,
    )
    sources = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        max_length=LIST_MAX,
        required=False,
    )

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = set(data) - set(self.fields)
            if unknown:
                raise serializers.ValidationError(
                    f"Unknown filter field(s): {', '.join(sorted(map(str, unknown)))[:200]}; "
                    f"use {', '.join(f for f in FILTER_FIELDS if f in self.fields)}."
                )
        return {k: v for k, v in super().to_internal_value(data).items() if v}


class RuleSerializer(serializers.ModelSerializer):
    queue = serializers.SerializerMethodField()
    realised_rate = serializers.FloatField(read_only=True)

    class Meta:
        model = AutomationRule
        fields = [
            "id", "name", "label_kind", "label_filter", "high_stakes", "confidence_min",
            "confidence_max", "mode", "rate", "per_window", "window", "action", "critic", "suite",
            "overlap", "blind", "seed", "paused", "labels_seen", "labels_sent", "realised_rate",
            "sample", "queue", "created_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_queue(self, rule) -> int | None:
        queue = getattr(rule.sample, "queue", None) if rule.sample_id else None
        return queue.pk if queue else None


class RuleChangeSerializer(serializers.Serializer):
    """What may change on a rule (its kind, mode and queue design may not)."""

    name = serializers.CharField(max_length=200, required=False)
    label_filter = LabelFilterSerializer(required=False)
    high_stakes = serializers.BooleanField(allow_null=True, required=False)
    confidence_min = serializers.FloatField(
        min_value=0, max_value=1, allow_null=True, required=False
    )
    confidence_max = serializers.FloatField(
        min_value=0, max_value=1, allow_null=True, required=False
    )
    rate = serializers.FloatField(min_value=0, max_value=1, required=False)
    per_window = serializers.IntegerField(min_value=1, max_value=20_000, required=False)


class RuleCreateSerializer(RuleChangeSerializer):
    name = serializers.CharField(max_length=200)
    label_kind = serializers.ChoiceField(choices=[])
    mode = serializers.ChoiceField(choices=AutomationRule.Mode.choices)
    window = serializers.ChoiceField(choices=Window.choices, required=False)
    overlap = serializers.IntegerField(min_value=1, max_value=5, default=2)
    blind = serializers.BooleanField(default=True)
    seed = serializers.IntegerField(min_value=0, max_value=2**31 - 1, default=0)
    reviewers = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.filter(is_active=True), many=True, default=list
    )
    action = serializers.ChoiceField(choices=AutomationRule.Action.choices, default="review")
    critic = serializers.PrimaryKeyRelatedField(
        queryset=CriticConfig.objects.all(),
        required=False,
        allow_null=True,
        help_text="The critic that judges the picked labels again (action critic).",
    )
    suite = serializers.PrimaryKeyRelatedField(
        queryset=Suite.objects.all(),
        required=False,
        allow_null=True,
        help_text="The red-team suite re-run when the rule picks labels (action redteam).",
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["label_kind"].choices = kinds.choices()


class PauseSerializer(serializers.Serializer):
    paused = serializers.BooleanField()
