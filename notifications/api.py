"""The notifications API: a user's channels (and the team channels of their roles) and the
delivery log of the channels they see. The same services as the page: another user's channel is
a 404, a team channel without manage_team_channels a 403."""

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.response import Response

from cai_audit.api_base import ApiViewSet
from cai_audit.permissions import AUTHENTICATED

from . import selectors
from .models import Channel, Delivery
from .serializers import ChannelSerializer, ChannelWriteSerializer, DeliverySerializer
from .services import channels as channel_services


class ChannelViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    read_permission = AUTHENTICATED
    serializer_class = ChannelSerializer
    action_permissions = dict.fromkeys(
        ("create", "update", "partial_update", "destroy", "test"), AUTHENTICATED
    )

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return Channel.objects.none()
        return selectors.channel_list_visible(user=self.request.user)

    def _managed(self) -> Channel:
        channel = self.get_object()
        if not channel_services.channel_manageable(user=self.request.user, channel=channel):
            raise PermissionDenied("Your role cannot manage this team's channels.")
        return channel

    @extend_schema(request=ChannelWriteSerializer, responses={201: ChannelSerializer})
    def create(self, request):
        channel = channel_services.channel_create(
            actor=request.user, **self.validated(ChannelWriteSerializer)
        )
        return Response(ChannelSerializer(channel).data, status=201)

    @extend_schema(request=ChannelWriteSerializer, responses=ChannelSerializer)
    def update(self, request, pk=None):
        channel = self._managed()
        data = self.validated(ChannelWriteSerializer)
        data.pop("team", None)
        channel = channel_services.channel_update(actor=request.user, channel=channel, **data)
        return Response(ChannelSerializer(channel).data)

    @extend_schema(request=ChannelWriteSerializer, responses=ChannelSerializer)
    def partial_update(self, request, pk=None):
        channel = self._managed()
        data = self.validated(ChannelWriteSerializer, partial=True)
        data.pop("team", None)
        current = {
            "name": channel.name, "kind": channel.kind, "target": channel.target,
            "events": channel.events, "active": channel.active,
        }  # fmt: skip
        channel = channel_services.channel_update(
            actor=request.user, channel=channel, **{**current, **data}
        )
        return Response(ChannelSerializer(channel).data)

    def destroy(self, request, pk=None):
        channel_services.channel_delete(actor=request.user, channel=self._managed())
        return Response(status=204)

    @extend_schema(request=None, responses={202: DeliverySerializer})
    @action(detail=True, methods=["post"])
    def test(self, request, pk=None):
        """Queue a test message to the channel (it shows in the delivery log)."""
        delivery = channel_services.channel_test_send(actor=request.user, channel=self._managed())
        return Response(DeliverySerializer(delivery).data, status=202)


class DeliveryViewSet(mixins.ListModelMixin, ApiViewSet):
    read_permission = AUTHENTICATED
    serializer_class = DeliverySerializer
    filterset_fields = ["channel", "event", "status"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return Delivery.objects.none()
        return selectors.delivery_list(user=self.request.user)
