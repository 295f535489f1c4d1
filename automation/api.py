"""The REST API of automation rules: list, read, create, change, pause and delete. Reading needs
VIEW_AGREEMENT or VIEW_LABELS; every change needs MANAGE_AUTOMATION (and the services check it
again)."""

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from cai_audit import permissions
from cai_audit.api_base import ApiViewSet
from labeling import kinds

from . import selectors
from .filters import FILTER_FIELDS
from .models import AutomationRule, Window
from .services import rules as rule_services

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
            "confidence_max", "mode", "rate", "per_window", "window", "action", "overlap",
            "blind", "seed", "paused", "labels_seen", "labels_sent", "realised_rate", "sample",
            "queue", "created_at",
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["label_kind"].choices = kinds.choices()


class PauseSerializer(serializers.Serializer):
    paused = serializers.BooleanField()


class RuleViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, ApiViewSet
):
    """Automation rules: a label filter, a sampling design (Poisson rate p on arrival, or n per
    window) and a review queue the picked labels go to, each with its inclusion probability."""

    queryset = selectors.rules_list()
    serializer_class = RuleSerializer
    filterset_fields = ["label_kind", "mode", "paused"]
    read_permission = permissions.SEE_AUTOMATION
    action_permissions = {
        "create": permissions.MANAGE_AUTOMATION,
        "partial_update": permissions.MANAGE_AUTOMATION,
        "destroy": permissions.MANAGE_AUTOMATION,
        "pause": permissions.MANAGE_AUTOMATION,
    }

    @extend_schema(request=RuleCreateSerializer, responses={201: RuleSerializer})
    def create(self, request):
        """Save a rule; a review rule opens its blind queue at once."""
        data = dict(self.validated(RuleCreateSerializer))
        name, kind, mode = data.pop("name"), data.pop("label_kind"), data.pop("mode")
        reviewers = data.pop("reviewers")
        rule = rule_services.rule_create(
            actor=request.user, name=name, label_kind=kind, mode=mode, reviewers=reviewers, **data
        )
        return Response(RuleSerializer(rule).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RuleChangeSerializer, responses=RuleSerializer)
    def partial_update(self, request, pk=None):
        """Change a rule's name, filter or rate."""
        rule = self.get_object()
        rule = rule_services.rule_update(
            actor=request.user, rule=rule, **self.validated(RuleChangeSerializer)
        )
        return Response(RuleSerializer(rule).data)

    def perform_destroy(self, instance):
        rule_services.rule_delete(actor=self.request.user, rule=instance)

    @extend_schema(request=PauseSerializer, responses=RuleSerializer)
    @action(detail=True, methods=["post"])
    def pause(self, request, pk=None):
        """Pause (`{"paused": true}`) or resume a rule."""
        rule = rule_services.rule_pause(
            actor=request.user, rule=self.get_object(), **self.validated(PauseSerializer)
        )
        return Response(RuleSerializer(rule).data)
