"""What the constitution services share: the audit scope, locking a draft against publication,
and numbering the next version."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Max

from cai_audit.errors import ImmutableError

from ..models import Constitution, ConstitutionVersion
from ..rules import PRINCIPLE_FIELDS

EDITABLE_FIELDS = PRINCIPLE_FIELDS

User = AbstractBaseUser | None


def _scope(constitution: Constitution) -> str:
    return f"constitution:{constitution.pk}"


def _locked_draft(version: ConstitutionVersion) -> ConstitutionVersion:
    """Lock the version row and refuse if it is published. Call inside a transaction."""
    locked = ConstitutionVersion.objects.select_for_update().get(pk=version.pk)
    if locked.is_published:
        raise ImmutableError(
            f"Version {locked.number} is published and cannot be changed. "
            "Fork it to a new draft to make changes."
        )
    return locked


def _next_number(constitution: Constitution) -> int:
    Constitution.objects.select_for_update().filter(pk=constitution.pk).first()
    current = constitution.versions.aggregate(top=Max("number"))["top"] or 0
    return current + 1
