"""Channels: a user's own (anyone signed in) and a team's (manage_team_channels, for a role
group the user belongs to). A user never reaches another user's channel: it is "not found"."""

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser, Group
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from cai_audit import permissions
from cai_audit.alerts import EVENTS
from cai_audit.audit import audit_record
from cai_audit.permissions import permission_require

from ..models import TEST_EVENT, Channel, Delivery, Subscription
from ..webhooks import WebhookRefused, webhook_url_check
from .deliveries import deliveries_enqueue

EVENT_NAMES = frozenset(value for value, _ in EVENTS)


def channel_manageable(*, user: AbstractBaseUser, channel: Channel) -> bool:
    """Whether `user` may edit, delete or test `channel`: their own, or a team channel of a
    role they hold, when they hold manage_team_channels."""
    if channel.owner_id is not None:
        return channel.owner_id == user.pk
    return permissions.user_holds(user, permissions.MANAGE_TEAM_CHANNELS) and (
        user.is_superuser or user.groups.filter(pk=channel.team_id).exists()
    )


def _fields_checked(*, kind: str, target: str, name: str, events: Iterable[str]) -> list[str]:
    """The events, once name, kind, target and events are valid. Raises ValidationError naming
    the field."""
    problems: dict[str, str] = {}
    if not name.strip() or len(name) > 100:
        problems["name"] = "Give the channel a name of 1 to 100 characters."
    if kind == Channel.Kind.EMAIL:
        try:
            validate_email(target)
        except ValidationError:
            problems["target"] = "Enter a valid e-mail address."
    elif kind == Channel.Kind.WEBHOOK:
        try:
            webhook_url_check(target)
        except WebhookRefused as error:
            problems["target"] = str(error)
    else:
        problems["kind"] = "Choose e-mail or webhook."
    events = sorted(set(events))
    unknown = [event for event in events if event not in EVENT_NAMES]
    if unknown:
        problems["events"] = f"Unknown events: {', '.join(unknown)[:200]}."
    if problems:
        raise ValidationError(problems)
    return events


def _team_checked(*, actor: AbstractBaseUser, team: Group | None) -> None:
    if team is None:
        return
    permission_require(actor, permissions.MANAGE_TEAM_CHANNELS, action="manage team channels")
    if not actor.is_superuser and not actor.groups.filter(pk=team.pk).exists():
        raise ValidationError({"team": "You can add channels only for roles you hold."})


def _subscriptions_set(channel: Channel, events: list[str]) -> None:
    channel.subscriptions.exclude(event__in=events).delete()
    Subscription.objects.bulk_create(
        [Subscription(channel=channel, event=event) for event in events], ignore_conflicts=True
    )


def channel_create(
    *,
    actor: AbstractBaseUser,
    name: str,
    kind: str,
    target: str,
    events: Iterable[str],
    team: Group | None = None,
    active: bool = True,
) -> Channel:
    """A channel of the actor's own, or of `team` (a role the actor holds, with
    manage_team_channels), subscribed to `events`.

    Raises ValidationError (naming the field) or PermissionDenied."""
    events = _fields_checked(kind=kind, target=target.strip(), name=name, events=events)
    with transaction.atomic():
        _team_checked(actor=actor, team=team)
        channel = Channel.objects.create(
            name=name.strip(),
            kind=kind,
            target=target.strip(),
            owner=None if team else actor,
            team=team,
            active=active,
        )
        _subscriptions_set(channel, events)
        audit_record(
            actor=actor,
            action="notifications.channel_create",
            target=channel,
            scope="notifications",
            summary=f"Added the {channel.get_kind_display()} channel {channel.name}",
            payload={"events": events, "team": team.name if team else None},
        )
    return channel


def channel_update(
    *,
    actor: AbstractBaseUser,
    channel: Channel,
    name: str,
    kind: str,
    target: str,
    events: Iterable[str],
    active: bool,
) -> Channel:
    """Change a channel the actor may manage (channel_manageable).

    Raises ValidationError (naming the field) or Channel.DoesNotExist (not theirs)."""
    events = _fields_checked(kind=kind, target=target.strip(), name=name, events=events)
    with transaction.atomic():
        channel = Channel.objects.select_for_update().get(pk=channel.pk)
        if not channel_manageable(user=actor, channel=channel):
            raise Channel.DoesNotExist
        channel.name, channel.kind, channel.target = name.strip(), kind, target.strip()
        channel.active = active
        channel.save(update_fields=["name", "kind", "target", "active"])
        _subscriptions_set(channel, events)
        audit_record(
            actor=actor,
            action="notifications.channel_update",
            target=channel,
            scope="notifications",
            summary=f"Changed the channel {channel.name}",
            payload={"events": events, "active": active},
        )
    return channel


def channel_delete(*, actor: AbstractBaseUser, channel: Channel) -> None:
    """Delete a channel the actor may manage, with its subscriptions and delivery log.

    Raises Channel.DoesNotExist (not theirs)."""
    with transaction.atomic():
        channel = Channel.objects.select_for_update().get(pk=channel.pk)
        if not channel_manageable(user=actor, channel=channel):
            raise Channel.DoesNotExist
        audit_record(
            actor=actor,
            action="notifications.channel_delete",
            target=channel,
            scope="notifications",
            summary=f"Deleted the channel {channel.name}",
        )
        channel.delete()


def channel_test_send(*, actor: AbstractBaseUser, channel: Channel) -> Delivery:
    """Queue a test message to a channel the actor may manage (delivered like an alert, and
    logged).

    Raises Channel.DoesNotExist (not theirs)."""
    with transaction.atomic():
        channel = Channel.objects.select_for_update().get(pk=channel.pk)
        if not channel_manageable(user=actor, channel=channel):
            raise Channel.DoesNotExist
        sent = channel.deliveries.filter(event=TEST_EVENT).count()
        delivery = Delivery.objects.create(
            channel=channel,
            event=TEST_EVENT,
            key=f"test:{sent + 1}",
            subject=f"Test message for {channel.name}",
            body=f"{actor.get_username()} sent this from CAI Audit to check the channel.",
            link="/notifications/",
        )
        deliveries_enqueue([delivery.pk])
    return delivery
