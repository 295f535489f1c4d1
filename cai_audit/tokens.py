"""API tokens that expire and can be rotated (one token per user).

Kept apart from the sign-in views: DRF imports the authentication class while it builds its view
classes, so this module must not import rest_framework.views.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token


def token_expires_at(token: Token) -> datetime | None:
    hours = settings.CAI_API_TOKEN_TTL_HOURS
    return token.created + timedelta(hours=hours) if hours else None


def token_expired(token: Token) -> bool:
    expires = token_expires_at(token)
    return expires is not None and expires <= timezone.now()


@transaction.atomic
def token_issue(*, user, replace: bool) -> Token:
    """The user's token: the current one while it is valid, else (or with `replace`) a new key;
    the old key stops working at once (one token per user)."""
    token = Token.objects.select_for_update().filter(user=user).first()
    if token is not None and (replace or token_expired(token)):
        token.delete()
        token = None
    return token or Token.objects.create(user=user)


class ExpiringTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`, refused (401) once the key is older than
    CAI_API_TOKEN_TTL_HOURS (0: keys never expire)."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if token_expired(token):
            raise exceptions.AuthenticationFailed(
                "Token expired: get a new one with POST /api/auth/token/."
            )
        return user, token
