"""Import a YAML document as a new draft version, all or nothing."""

from django.conf import settings
from django.db import transaction

from cai_audit import permissions
from cai_audit.audit import audit_record
from cai_audit.errors import DomainError
from cai_audit.permissions import permission_require
from cai_audit.uploads import ImportSource, read_capped

from ..models import Constitution, ConstitutionVersion, Principle
from ..yaml_io import VersionDocument, parse_version_yaml
from .constitutions import constitution_create, constitution_update
from .drafts import User, _next_number


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
