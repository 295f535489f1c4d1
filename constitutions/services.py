"""Writes to constitutions. Every page, API call and command goes through these functions, so each
one checks permissions, refuses writes to published versions and records an audit event.
"""

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from cai_audit import permissions
from cai_audit.audit import audit_record
from cai_audit.errors import DomainError, EditConflict, ImmutableError
from cai_audit.permissions import permission_require
from cai_audit.roles import user_or_none
from cai_audit.uploads import ImportSource, read_capped

from .models import Constitution, ConstitutionVersion, Principle, ReleaseTag
from .rules import PRINCIPLE_FIELDS, principle_key
from .signals import release_tagged, version_published
from .yaml_io import VersionDocument, parse_version_yaml

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


def version_import_yaml(
    *, actor: User, text: str | ImportSource, constitution: Constitution | None = None
) -> ConstitutionVersion:
    """Import a YAML document (text, bytes, a path or an uploaded file; gzipped or not) as a new
    draft version. All or nothing: any problem in the file raises ImportProblems listing them all
    and writes nothing.

    The constitution is the one named in the file (created if missing) unless `constitution` is
    given, in which case the file's name must match it. The file is read and checked before the
    transaction opens, so a slow or refused file holds no lock (SQLite has one writer).

    Also raises PermissionDenied without the author permission, DomainError when the file names
    another constitution than `constitution`.
    """
    permission_require(actor, permissions.AUTHOR_CONSTITUTION, action="import constitutions")
    limit = settings.CAI_IMPORT_CONSTITUTION_MAX_BYTES
    if not isinstance(text, str):
        text = read_capped(text, limit=limit)
    document = parse_version_yaml(text, max_bytes=limit)
    return _version_import(actor=actor, document=document, constitution=constitution)


@transaction.atomic
def _version_import(
    *, actor: User, document: VersionDocument, constitution: Constitution | None
) -> ConstitutionVersion:
    if constitution is not None and constitution.name != document.name:
        raise DomainError(
            f"The file is for constitution {document.name!r}, not {constitution.name!r}."
        )
    if constitution is None:
        constitution = Constitution.objects.filter(name=document.name).first()
    if constitution is None:
        constitution = constitution_create(
            actor=actor,
            name=document.name,
            description=document.description,
            review_cadence_days=document.review_cadence_days,
        )
        draft = constitution.versions.get(number=1)
    else:
        constitution_update(
            actor=actor,
            constitution=constitution,
            description=document.description,
            review_cadence_days=document.review_cadence_days,
        )
        latest = constitution.versions.order_by("-number").first()
        draft = ConstitutionVersion.objects.create(
            constitution=constitution,
            number=_next_number(constitution),
            parent=latest,
            created_by=actor,
        )
    draft.changelog = document.changelog
    draft.save(update_fields=["changelog"])
    Principle.objects.bulk_create(
        Principle(version=draft, updated_by=actor, **p) for p in document.principles
    )
    audit_record(
        actor=actor,
        action="version.imported",
        target=draft,
        scope=draft.scope,
        summary=f"Imported v{draft.number} from YAML ({len(document.principles)} principles)",
        payload={"number": draft.number, "principles": len(document.principles)},
    )
    return draft
