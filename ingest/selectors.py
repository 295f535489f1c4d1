"""Reads of the ingest app: what an import or a streamed batch is checked against."""

from cai_audit.errors import DomainError
from constitutions.models import Constitution, ConstitutionVersion
from labeling.models import Judge, LabelSource


def source_get(*, key: str) -> LabelSource:
    """The source with `key`; DomainError naming the known keys when there is none."""
    source = LabelSource.objects.select_related("judge").filter(key=key).first()
    if source is None:
        known = ", ".join(LabelSource.objects.values_list("key", flat=True)[:20]) or "none"
        raise DomainError(f"Unknown source {key!r} (known: {known}).")
    return source


def judge_get(*, name: str | None) -> Judge | None:
    if not name:
        return None
    judge = Judge.objects.filter(name=name).first()
    if judge is None:
        raise DomainError(f"Unknown judge {name!r}: add it on the judges page first.")
    return judge


def version_for_import(*, constitution: str = "", number: int | None = None) -> ConstitutionVersion:
    """Version `number` of the named constitution (or of the only one), else its latest published
    version. DomainError when the constitution or version cannot be told."""
    constitutions = Constitution.objects.all()
    if constitution:
        constitutions = constitutions.filter(name=constitution)
    found = list(constitutions[:2])
    if len(found) != 1:
        raise DomainError(
            "Name the constitution (several exist)." if found else "No such constitution."
        )
    versions = ConstitutionVersion.objects.filter(constitution=found[0])
    if number is not None:
        version = versions.filter(number=number).first()
    else:
        version = versions.filter(status=ConstitutionVersion.Status.PUBLISHED).order_by("-number")
        version = version.first()
    if version is None:
        raise DomainError(
            f"{found[0].name} has no {'version ' + str(number) if number else 'published version'}."
        )
    return version
