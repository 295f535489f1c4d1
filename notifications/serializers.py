"""The API's view of channels and deliveries. A webhook's URL is never sent back (its path is
often its secret): only `target_display`."""

from django.contrib.auth.models import Group
from rest_framework import serializers

from cai_audit.alerts import EVENTS

from .models import Channel, Delivery


class ChannelSerializer(serializers.ModelSerializer):
    events = serializers.ListField(child=serializers.CharField(), read_only=True)
    target_display = serializers.CharField(read_only=True)
    team = serializers.SlugRelatedField(slug_field="name", read_only=True)

    class Meta:
        model = Channel
        fields = ["id", "name", "kind", "target_display", "team", "events", "active", "created_at"]
        read_only_fields = fields


class ChannelWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    kind = serializers.ChoiceField(choices=Channel.Kind.choices)
    target = serializers.CharField(
        max_length=500, help_text="An e-mail address, or a webhook URL on an allowed host."
    )
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=EVENTS), max_length=len(EVENTS), default=list
    )
    active = serializers.BooleanField(default=True)
    team = serializers.PrimaryKeyRelatedField(
        queryset=Group.objects.all(),
        required=False,
        allow_null=True,
        help_text="A role group for a team channel (needs manage_team_channels); only on create.",
    )


class DeliverySerializer(serializers.ModelSerializer):
    channel = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Delivery
        fields = [
            "id", "channel", "event", "key", "subject", "status", "attempts", "error",
            "created_at", "sent_at",
        ]  # fmt: skip
        read_only_fields = fields
