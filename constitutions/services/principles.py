"""Add, edit and remove the principles of a draft (and their locale addenda)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from cai_audit import permissions
from cai_audit.audit import audit_record
from cai_audit.errors import DomainError, EditConflict
from cai_audit.permissions import permission_require
from cai_audit.roles import user_or_none

from ..models import ConstitutionVersion, Principle
from ..rules import principle_key
from .drafts import EDITABLE_FIELDS, User, _locked_draft


def _principle_validate(principle: Principle) -> None:
    principle.full_clean(exclude=["version", "updated_by"])
    siblings = Principle.objects.filter(version_id=principle.version_id).exclude(pk=principle.pk)
    if siblings.filter(code=principle.code, locale=principle.locale).exists():
        raise ValidationError(
            {"code": f"{principle_key(principle.code, principle.locale)} already exists here."}
        )
    if principle.locale and not siblings.filter(code=principle.code, locale="").exists():
        raise ValidationError(
            {"locale": f"An addendum needs a global principle {principle.code} in this version."}
        )


@transaction.atomic
def principle_create(*, actor: User, version: ConstitutionVersion, **fields: Any) -> Principle:
    """Add a principle (or a locale addendum of one) to a draft.

    Raises PermissionDenied without the author permission, ImmutableError for a published
    version, ValidationError for unknown or invalid fields, a code already in the version, or an
    addendum without its global principle."""
    permission_require(actor, permissions.AUTHOR_CONSTITUTION, action="edit constitutions")
    version = _locked_draft(version)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(f"Unknown principle fields: {', '.join(sorted(unknown))}")
    principle = Principle(version=version, updated_by=actor, **fields)
    _principle_validate(principle)
    principle.save()
    audit_record(
        actor=actor,
        action="principle.created",
        target=principle,
        scope=version.scope,
        summary=f"Added {principle} to v{version.number}",
        payload={"version": version.number, "key": principle_key(principle.code, principle.locale)},
    )
    return principle


@transaction.atomic
def principle_update(
    *, actor: User, principle: Principle, lock_version: int, **fields: Any
) -> Principle:
    """Save an edit made from the state `lock_version`. If someone saved the principle since,
    raise EditConflict carrying their version, so nobody's change is silently overwritten.

    Also raises PermissionDenied without the author permission, ImmutableError for a published
    version, ValidationError for unknown or invalid fields, DomainError when renaming a principle
    that has locale addenda."""
    permission_require(actor, permissions.AUTHOR_CONSTITUTION, action="edit constitutions")
    version = _locked_draft(principle.version)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(f"Unknown principle fields: {', '.join(sorted(unknown))}")
    current = (
        Principle.objects.select_for_update(of=("self",))
        .select_related("updated_by")
        .get(pk=principle.pk)
    )
    if current.lock_version != lock_version:
        who = current.updated_by.get_username() if current.updated_by else "someone"
        raise EditConflict(
            f"{who} saved {current} at {current.updated_at:%Y-%m-%d %H:%M:%S} UTC after you "
            "started editing. Their version is shown; reapply your change to it.",
            current=current,
        )
    changes = {
        name: {"old": getattr(current, name), "new": value}
        for name, value in fields.items()
        if getattr(current, name) != value
    }
    if not changes:
        return current
    if "code" in changes and not current.locale:
        addenda = version.principles.filter(code=current.code).exclude(locale="")
        if addenda.exists():
            raise DomainError(
                f"{current.code} has locale addenda; rename them together by removing them first."
            )
    for name, value in fields.items():
        setattr(current, name, value)
    _principle_validate(current)
    current.lock_version = F("lock_version") + 1
    current.updated_by = user_or_none(actor)
    current.save(update_fields=[*changes, "lock_version", "updated_by", "updated_at"])
    current.refresh_from_db()
    audit_record(
        actor=actor,
        action="principle.updated",
        target=current,
        scope=version.scope,
        summary=f"Edited {current} in v{version.number}: {', '.join(changes)}",
        payload={"version": version.number, "changes": changes},
    )
    return current


@transaction.atomic
def principle_delete(*, actor: User, principle: Principle) -> None:
    """Remove a principle from a draft.

    Raises PermissionDenied without the author permission, ImmutableError for a published
    version, DomainError for a global principle that still has locale addenda."""
    permission_require(actor, permissions.AUTHOR_CONSTITUTION, action="edit constitutions")
    version = _locked_draft(principle.version)
    if (
        not principle.locale
        and version.principles.filter(code=principle.code).exclude(locale="").exists()
    ):
        raise DomainError(f"Remove the locale addenda of {principle.code} before the principle.")
    audit_record(
        actor=actor,
        action="principle.deleted",
        target=principle,
        scope=version.scope,
        summary=f"Removed {principle} from v{version.number}",
        payload={"version": version.number, "key": principle_key(principle.code, principle.locale)},
    )
    principle.delete()
