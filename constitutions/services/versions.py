"""A version's life: fork a draft from any version, publish it (immutable from then on), or
discard it while it is a draft."""

from django.db import transaction
from django.utils import timezone

from cai_audit import permissions
from cai_audit.audit import audit_record
from cai_audit.errors import DomainError
from cai_audit.permissions import permission_require
from cai_audit.roles import user_or_none

from ..models import Constitution, ConstitutionVersion, Principle
from ..signals import version_published
from .drafts import EDITABLE_FIELDS, User, _locked_draft, _next_number, _scope


@transaction.atomic
def version_fork(*, actor: User, version: ConstitutionVersion) -> ConstitutionVersion:
    """Start a new draft whose principles copy `version`'s. The way to "edit" a published one.

    Raises PermissionDenied without the author permission."""
    permission_require(actor, permissions.AUTHOR_CONSTITUTION, action="edit constitutions")
    constitution = version.constitution
    draft = ConstitutionVersion.objects.create(
        constitution=constitution,
        number=_next_number(constitution),
        parent=version,
        created_by=actor,
    )
    Principle.objects.bulk_create(
        Principle(version=draft, updated_by=actor, **{f: getattr(p, f) for f in EDITABLE_FIELDS})
        for p in version.principles.all()
    )
    audit_record(
        actor=actor,
        action="version.forked",
        target=draft,
        scope=_scope(constitution),
        summary=f"Started draft v{draft.number} from v{version.number}",
        payload={"parent": version.pk, "number": draft.number},
    )
    return draft


@transaction.atomic
def version_publish(
    *, actor: User, version: ConstitutionVersion, changelog: str
) -> ConstitutionVersion:
    """Publish a draft. From then on the version and its principles never change. Sends
    `version_published` inside the transaction (redteam starts its regression runs on it).

    Raises PermissionDenied without the publish permission, ImmutableError if the version is
    already published, DomainError without a changelog note or without principles."""
    permission_require(actor, permissions.PUBLISH_CONSTITUTION, action="publish versions")
    version = _locked_draft(version)
    if not changelog.strip():
        raise DomainError("Write a changelog note saying what changed before publishing.")
    if not version.principles.exists():
        raise DomainError("A version needs at least one principle before it can be published.")
    now = timezone.now()
    version.status = ConstitutionVersion.Status.PUBLISHED
    version.changelog = changelog.strip()
    version.published_at = now
    version.published_by = user_or_none(actor)
    version.save(update_fields=["status", "changelog", "published_at", "published_by"])
    Constitution.objects.filter(pk=version.constitution_id).update(last_reviewed_at=now)
    audit_record(
        actor=actor,
        action="version.published",
        target=version,
        scope=version.scope,
        summary=f"Published v{version.number}: {version.changelog.splitlines()[0][:200]}",
        payload={"number": version.number, "changelog": version.changelog},
    )
    version_published.send(sender=ConstitutionVersion, version=version, actor=actor)
    return version


@transaction.atomic
def version_discard(*, actor: User, version: ConstitutionVersion) -> None:
    """Delete a draft. Published versions stay forever.

    Raises PermissionDenied without the author permission, ImmutableError for a published
    version."""
    permission_require(actor, permissions.AUTHOR_CONSTITUTION, action="discard drafts")
    version = _locked_draft(version)
    audit_record(
        actor=actor,
        action="version.discarded",
        target=version,
        scope=version.scope,
        summary=f"Discarded draft v{version.number}",
    )
    version.delete()
