"""Create a constitution, change its settings, mark it reviewed."""

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from cai_audit import permissions
from cai_audit.audit import audit_record
from cai_audit.permissions import permission_require

from ..models import Constitution, ConstitutionVersion
from .drafts import User, _scope


@transaction.atomic
def constitution_create(
    *,
    actor: User,
    name: str,
    description: str = "",
    review_cadence_days: int = 90,
    owners: Iterable[AbstractBaseUser] = (),
) -> Constitution:
    """Create a constitution with an empty draft version 1.

    Raises PermissionDenied without the author permission, ValidationError for an invalid name,
    description or cadence."""
    permission_require(actor, permissions.AUTHOR_CONSTITUTION, action="create constitutions")
    constitution = Constitution(
        name=name, description=description, review_cadence_days=review_cadence_days
    )
    constitution.full_clean()
    constitution.save()
    constitution.owners.set(list(owners))
    audit_record(
        actor=actor,
        action="constitution.created",
        target=constitution,
        scope=_scope(constitution),
        summary=f"Created constitution {name!r}",
    )
    ConstitutionVersion.objects.create(constitution=constitution, number=1, created_by=actor)
    return constitution


@transaction.atomic
def constitution_update(
    *,
    actor: User,
    constitution: Constitution,
    description: str | None = None,
    review_cadence_days: int | None = None,
    owners: Iterable[AbstractBaseUser] | None = None,
) -> Constitution:
    """Change the description, review cadence or owners given (None: unchanged); audited only
    when something changed.

    Raises PermissionDenied without the author permission, ValidationError for invalid values."""
    permission_require(actor, permissions.AUTHOR_CONSTITUTION, action="edit constitutions")
    changed: dict[str, Any] = {}
    if description is not None and description != constitution.description:
        constitution.description = description
        changed["description"] = description
    if review_cadence_days is not None and review_cadence_days != constitution.review_cadence_days:
        constitution.review_cadence_days = review_cadence_days
        changed["review_cadence_days"] = review_cadence_days
    constitution.full_clean()
    if changed:
        constitution.save(update_fields=list(changed))
    if owners is not None:
        owners = list(owners)
        before = {u.pk for u in constitution.owners.all()}
        if before != {u.pk for u in owners}:
            constitution.owners.set(owners)
            changed["owners"] = sorted(u.get_username() for u in owners)
    if changed:
        audit_record(
            actor=actor,
            action="constitution.updated",
            target=constitution,
            scope=_scope(constitution),
            summary=f"Changed {', '.join(sorted(changed))}",
            payload=changed,
        )
    return constitution


@transaction.atomic
def constitution_mark_reviewed(*, actor: User, constitution: Constitution) -> Constitution:
    """Record that the policy team reviewed the constitution today (its cadence restarts).

    Raises PermissionDenied without the author permission."""
    permission_require(actor, permissions.AUTHOR_CONSTITUTION, action="mark constitutions reviewed")
    constitution.last_reviewed_at = timezone.now()
    constitution.save(update_fields=["last_reviewed_at"])
    audit_record(
        actor=actor,
        action="constitution.reviewed",
        target=constitution,
        scope=_scope(constitution),
        summary="Marked reviewed",
    )
    return constitution
