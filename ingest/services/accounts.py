"""Service accounts: users that only send labels through the streaming API."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.db import transaction
from rest_framework.authtoken.models import Token

from cai_audit import permissions
from cai_audit.errors import DomainError
from cai_audit.permissions import permission_require
from cai_audit.roles import INGESTION_SERVICE
from cai_audit.text import fields_check
from cai_audit.tokens import token_issue


@transaction.atomic
def service_account_create(
    *, actor: AbstractBaseUser | None, name: str
) -> tuple[AbstractBaseUser, Token]:
    """A user named `name` in the ingestion_service role (INGEST_LABELS only: it can read
    nothing), with no password (it signs in by token only), and its API token. Raises
    PermissionDenied unless `actor` may manage sources, DomainError for a name in use or one
    that is not a valid user name."""
    permission_require(actor, permissions.MANAGE_SOURCES, action="create service accounts")
    fields_check(name=name)
    user_model = get_user_model()
    name = name.strip()
    field = user_model._meta.get_field(user_model.USERNAME_FIELD)
    try:
        field.run_validators(name)
    except Exception as error:  # noqa: BLE001 - Django's ValidationError, reworded
        raise DomainError(f"Not a valid account name: {name!r}.") from error
    if not name or user_model.objects.filter(**{user_model.USERNAME_FIELD: name}).exists():
        raise DomainError(f"An account named {name!r} exists already." if name else "Name it.")
    user = user_model(**{user_model.USERNAME_FIELD: name})
    user.set_unusable_password()
    user.save()
    user.groups.add(Group.objects.get(name=INGESTION_SERVICE))
    return user, token_issue(user=user, replace=True)
