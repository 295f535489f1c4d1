"""Reads of the notifications app: the channels a user sees and their delivery log. A user sees
their own channels and the team channels of the roles they hold, never another user's."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q, QuerySet

from .models import Channel, Delivery


def _visible(user: AbstractBaseUser) -> Q:
    if user.is_superuser:
        return Q(owner=user) | Q(team__isnull=False)
    return Q(owner=user) | Q(team__in=user.groups.all())


def channel_list_own(*, user: AbstractBaseUser) -> QuerySet[Channel]:
    return Channel.objects.filter(owner=user).prefetch_related("subscriptions")


def channel_list_team(*, user: AbstractBaseUser) -> QuerySet[Channel]:
    """Team channels of the user's roles (every team's, for an administrator)."""
    teams = Q(team__isnull=False) if user.is_superuser else Q(team__in=user.groups.all())
    return (
        Channel.objects.filter(teams)
        .select_related("team")
        .prefetch_related("subscriptions")
        .order_by("team__name", "name", "pk")
    )


def channel_list_visible(*, user: AbstractBaseUser) -> QuerySet[Channel]:
    """The user's own channels and the team channels of their roles."""
    return (
        Channel.objects.filter(_visible(user))
        .select_related("team")
        .prefetch_related("subscriptions")
        .order_by("pk")
    )


def channel_visible(*, user: AbstractBaseUser, pk: int) -> Channel:
    """A channel the user sees. Raises Channel.DoesNotExist for any other (never "forbidden":
    that would tell another user's channel exists)."""
    return Channel.objects.filter(_visible(user)).get(pk=pk)


def delivery_list(*, user: AbstractBaseUser) -> QuerySet[Delivery]:
    """The delivery log of the channels the user sees, newest first."""
    return Delivery.objects.filter(
        channel__in=Channel.objects.filter(_visible(user))
    ).select_related("channel")
