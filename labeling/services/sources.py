"""External judges and label sources: the records that say who made labels the app did not make
itself and where they came from. Users create and edit them in the browser and the API."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from cai_audit import permissions
from cai_audit.audit import audit_record
from cai_audit.permissions import permission_require
from cai_audit.roles import user_or_none

from ..models import Judge, LabelSource

JUDGE_FIELDS = ("name", "model", "version", "description", "provenance")
SOURCE_FIELDS = ("key", "name", "description", "judge")


def _audit_value(value) -> object:
    if isinstance(value, Judge):
        return value.pk
    return value if isinstance(value, (dict, list, int, float, bool, type(None))) else str(value)


def _save(record, *, actor, fields: dict, allowed: tuple[str, ...], what: str, scope: str) -> None:
    """Set the fields given, validate the record, save it and audit the change (a record that
    changed nothing is not audited). Raises ValidationError for an invalid field."""
    created = record.pk is None
    changed = {
        key: value
        for key, value in fields.items()
        if key in allowed and (created or getattr(record, key) != value)
    }
    for key, value in changed.items():
        setattr(record, key, value)
    if created:
        record.created_by = user_or_none(actor)
    record.full_clean(exclude=["created_by"])
    if not created and not changed:
        return
    if created:
        record.save()
    else:
        record.save(update_fields=list(changed))
    verb = "created" if created else "updated"
    audit_record(
        actor=actor,
        action=f"{what}.{verb}",
        target=record,
        scope=f"{scope}:{record.pk}",
        summary=(
            f"Created {what} {record}"
            if created
            else f"Changed {', '.join(sorted(changed))} of {what} {record}"
        ),
        payload={key: _audit_value(value) for key, value in changed.items()},
    )


@transaction.atomic
def judge_create(*, actor: AbstractBaseUser | None, **fields) -> Judge:
    """Add an external judge (fields other than a judge's are ignored).

    Raises PermissionDenied without MANAGE_SOURCES, ValidationError for an invalid or taken name
    or another invalid field."""
    permission_require(actor, permissions.MANAGE_SOURCES, action="manage judges and sources")
    judge = Judge()
    _save(judge, actor=actor, fields=fields, allowed=JUDGE_FIELDS, what="judge", scope="judge")
    return judge


@transaction.atomic
def judge_update(*, actor: AbstractBaseUser | None, judge: Judge, **fields) -> Judge:
    """Change the fields given; audited only when something changed. Runs keep the snapshot of
    the judge they were made with.

    Raises PermissionDenied without MANAGE_SOURCES, ValidationError as judge_create does."""
    permission_require(actor, permissions.MANAGE_SOURCES, action="manage judges and sources")
    _save(judge, actor=actor, fields=fields, allowed=JUDGE_FIELDS, what="judge", scope="judge")
    return judge


@transaction.atomic
def source_create(*, actor: AbstractBaseUser | None, **fields) -> LabelSource:
    """Add a label source (fields other than a source's are ignored).

    Raises PermissionDenied without MANAGE_SOURCES, ValidationError for an invalid or taken key
    or another invalid field."""
    permission_require(actor, permissions.MANAGE_SOURCES, action="manage judges and sources")
    source = LabelSource()
    _save(source, actor=actor, fields=fields, allowed=SOURCE_FIELDS, what="source", scope="source")
    return source


@transaction.atomic
def source_update(*, actor: AbstractBaseUser | None, source: LabelSource, **fields) -> LabelSource:
    """Change the fields given; audited only when something changed. The key is what the API
    and import files name, so changing it breaks senders that use the old one.

    Raises PermissionDenied without MANAGE_SOURCES, ValidationError as source_create does."""
    permission_require(actor, permissions.MANAGE_SOURCES, action="manage judges and sources")
    _save(source, actor=actor, fields=fields, allowed=SOURCE_FIELDS, what="source", scope="source")
    return source
