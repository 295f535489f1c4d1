"""Release tags: which model releases were trained with a published version."""

from django.core.exceptions import ValidationError
from django.db import transaction

from cai_audit import permissions
from cai_audit.audit import audit_record
from cai_audit.errors import DomainError
from cai_audit.permissions import permission_require

from ..models import ConstitutionVersion, ReleaseTag
from ..signals import release_tagged
from .drafts import User


@transaction.atomic
def release_tag_add(
    *, actor: User, version: ConstitutionVersion, name: str, note: str = ""
) -> ReleaseTag:
    """Record that a model release was trained with this (published) version. Sends
    `release_tagged` inside the transaction (redteam starts its regression runs on it).

    Raises PermissionDenied without the publish permission, DomainError if the version is a draft
    or already carries the name, ValidationError for an empty name."""
    permission_require(actor, permissions.PUBLISH_CONSTITUTION, action="tag releases")
    version = ConstitutionVersion.objects.select_for_update().get(pk=version.pk)
    if not version.is_published:
        raise DomainError("Only published versions can be tagged with model releases.")
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Give the model release a name."})
    if version.tags.filter(name=name).exists():
        raise DomainError(f"v{version.number} is already tagged {name!r}.")
    tag = ReleaseTag(version=version, name=name, note=note.strip(), created_by=actor)
    tag.full_clean(exclude=["created_by"])
    tag.save()
    audit_record(
        actor=actor,
        action="version.tagged",
        target=version,
        scope=version.scope,
        summary=f"Tagged v{version.number} with release {name!r}",
        payload={"tag": name, "note": tag.note},
    )
    release_tagged.send(sender=ReleaseTag, tag=tag, version=version, actor=actor)
    return tag


@transaction.atomic
def release_tag_remove(*, actor: User, tag: ReleaseTag) -> None:
    """Remove a release tag (the runs it started stay).

    Raises PermissionDenied without the publish permission."""
    permission_require(actor, permissions.PUBLISH_CONSTITUTION, action="tag releases")
    version = tag.version
    audit_record(
        actor=actor,
        action="version.untagged",
        target=version,
        scope=version.scope,
        summary=f"Removed release tag {tag.name!r} from v{version.number}",
        payload={"tag": tag.name},
    )
    tag.delete()
