"""Loading what rows are checked against: the constitution's published versions and their
principles, the judges, the source's category table, and the mappings given at import."""

import re
from collections.abc import Sequence

from cai_audit.errors import ImportProblems
from constitutions.models import ConstitutionVersion, Principle
from labeling.models import Judge, LabelSource

from ..formats.records import PrincipleFacts, RowContext
from ..models import CategoryMap

_VERSION_MAP = re.compile(r"^v?(\d{1,9})=v?(\d{1,9})$", re.IGNORECASE)
_CODE_MAP = re.compile(r"^([^=\s]{1,32})=([^=\s]{1,32})$")


def mappings_parse(mappings: Sequence[str]) -> tuple[dict[str, str], dict[int, int]]:
    """["OLD-7=HARM-02", "v1=2"] -> ({"OLD-7": "HARM-02"}, {1: 2}); ImportProblems naming each
    mapping that is neither."""
    codes: dict[str, str] = {}
    versions: dict[int, int] = {}
    problems = []
    for index, text in enumerate(mappings, start=1):
        text = str(text).strip()
        if match := _VERSION_MAP.match(text):
            versions[int(match[1])] = int(match[2])
        elif match := _CODE_MAP.match(text):
            codes[match[1]] = match[2]
        else:
            problems.append(f"mapping {index} ({text[:80]!r}): write OLD=NEW (OLD-7=HARM-02, v1=2)")
    if problems:
        raise ImportProblems("Nothing was imported: a mapping is not valid.", problems=problems)
    return codes, versions


def row_context(
    *,
    source: LabelSource,
    version: ConstitutionVersion,
    judge: Judge | None = None,
    principle: str = "",
    mappings: Sequence[str] = (),
) -> tuple[RowContext, dict[int, ConstitutionVersion], dict[str, Judge]]:
    """The RowContext of an import into `version`'s constitution (rows may name another published
    version of it by number), with the versions by number and the judges by name. Raises
    ImportProblems for an unpublished default version or a bad mapping."""
    if not version.is_published:
        raise ImportProblems(
            "Nothing was imported: the constitution version is a draft.",
            problems=[f"{version} is not published; labels are made under published versions"],
        )
    code_map, version_map = mappings_parse(mappings)
    versions = {
        v.number: v
        for v in ConstitutionVersion.objects.filter(
            constitution_id=version.constitution_id, status=ConstitutionVersion.Status.PUBLISHED
        )
    }
    principles: dict[int, dict[str, PrincipleFacts]] = {number: {} for number in versions}
    addenda: dict[tuple[int, str], set[str]] = {}
    rows = Principle.objects.filter(version__in=versions.values()).values_list(
        "version__number", "code", "locale", "category", "critique_request"
    )
    globals_ = []
    for number, code, locale, category, request in rows:
        if locale:
            addenda.setdefault((number, code), set()).add(locale)
        else:
            globals_.append((number, code, category, request))
    for number, code, category, request in globals_:
        locales = frozenset(addenda.get((number, code), ()))
        principles[number][code] = PrincipleFacts(code, category, locales, request)
    judges = {j.name: j for j in Judge.objects.all()}
    default_judge = judge or source.judge
    categories = {
        entry.code: (entry.harm_category, entry.verdict)
        for entry in CategoryMap.objects.filter(source=source)
    }
    context = RowContext(
        principles=principles,
        default_version=version.number,
        default_principle=principle.strip(),
        default_judge=default_judge.name if default_judge else "",
        judges=frozenset(judges),
        code_map=code_map,
        version_map=version_map,
        categories=categories,
    )
    return context, versions, judges
