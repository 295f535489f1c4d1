"""The REST API of automation rules: list, read, create, change, pause and delete. Reading needs
VIEW_AGREEMENT or VIEW_LABELS; every change needs MANAGE_AUTOMATION (and the services check it
again)."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from cai_audit import permissions
from cai_audit.api_base import ApiViewSet

from . import selectors
from .serializers import (
    PauseSerializer,
    RuleChangeSerializer,
    RuleCreateSerializer,
    RuleSerializer,
)
from .services import rules as rule_services


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
