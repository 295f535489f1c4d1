"""Suites: import from JSONL/CSV, regression settings, and mutation variants of their seeds."""

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from cai_audit import permissions
from cai_audit.audit import audit_record
from cai_audit.errors import DomainError, ImportProblems
from cai_audit.permissions import permission_require
from cai_audit.roles import user_or_none
from cai_audit.text import fields_check
from cai_audit.uploads import ImportSource
from labeling.models import CriticConfig

from .. import mutations
from ..importing import parse_cases
from ..models import Case, Suite

MAX_TEMPERATURES = 5


def operators_validate(operators) -> list[str]:
    """The operators, each once, in order. Raises DomainError naming any unknown one."""
    operators = list(dict.fromkeys(operators or ()))
    unknown = [name for name in operators if name not in mutations.OPERATORS]
    if unknown:
        raise DomainError(
            f"Unknown operator(s): {', '.join(unknown)}; choose from "
            f"{', '.join(mutations.OPERATORS)}."
        )
    return operators


def temperatures_validate(temperatures) -> list[float]:
    """The sampling temperatures, sorted, each once (none given: greedy only). Raises DomainError
    for too many or one outside 0 to 2, ValueError for one that is not a number."""
    values = [float(t) for t in (temperatures or (0.0,))]
    if not 1 <= len(values) <= MAX_TEMPERATURES:
        raise DomainError(f"Give between 1 and {MAX_TEMPERATURES} temperatures.")
    if any(not 0.0 <= t <= 2.0 for t in values):
        raise DomainError("Temperatures are between 0 (greedy) and 2.")
    return sorted(set(values))


def suite_import(
    *,
    actor: AbstractBaseUser | None,
    name: str,
    data: ImportSource,
    filename: str = "",
    description: str = "",
) -> Suite:
    """A new suite from a JSONL or CSV file (bytes, a path or an uploaded file; gzipped or not);
    all or nothing, naming every bad line. The file is read and checked before the transaction
    opens, so a slow or refused file holds no lock.

    Raises PermissionDenied without the permission to manage suites, DomainError for a name
    taken or text that cannot be stored, ImportProblems listing every bad line."""
    permission_require(actor, permissions.MANAGE_SUITES, action="import red-team suites")
    fields_check(name=name, filename=filename, description=description)
    name = (name.strip() or filename or "Imported suite")[:200]
    if Suite.objects.filter(name=name).exists():
        raise DomainError(f"A suite named {name!r} exists already.")
    parsed = parse_cases(
        data,
        filename=filename,
        max_bytes=settings.CAI_IMPORT_SUITE_MAX_BYTES,
        max_rows=settings.CAI_IMPORT_MAX_ROWS,
    )
    if parsed.problem_count:
        more = parsed.problem_count - len(parsed.problems)
        raise ImportProblems(
            f"Nothing was imported: {parsed.problem_count} bad row"
            f"{'s' if parsed.problem_count != 1 else ''}.",
            problems=parsed.problems + ([f"... and {more} more"] if more > 0 else []),
        )
    return _suite_create(
        actor=actor, name=name, description=description, filename=filename, parsed=parsed
    )


@transaction.atomic
def _suite_create(*, actor, name: str, description: str, filename: str, parsed) -> Suite:
    if Suite.objects.filter(name=name).exists():  # made while the file was read
        raise DomainError(f"A suite named {name!r} exists already.")
    suite = Suite.objects.create(
        name=name, description=description.strip(), created_by=user_or_none(actor)
    )
    Case.objects.bulk_create(
        Case(
            suite=suite, external_id=r.external_id, category=r.category, kind=r.kind,
            principles=r.principles, messages=r.messages, locale=r.locale,
        )
        for r in parsed.records
    )  # fmt: skip
    audit_record(
        actor=actor,
        action="redteam.suite_imported",
        target=suite,
        scope=f"suite:{suite.pk}",
        summary=f"Imported red-team suite {suite.name} ({len(parsed.records)} cases)",
        payload={"format": parsed.format, "cases": len(parsed.records), "file": filename[:200]},
    )
    return suite


@transaction.atomic
def suite_settings_update(
    *,
    actor: AbstractBaseUser | None,
    suite: Suite,
    run_on_publish: bool,
    run_on_release: bool,
    regression_target: CriticConfig | None = None,
    regression_judge: CriticConfig | None = None,
    regression_operators=(),
    regression_temperatures=(0.0,),
) -> Suite:
    """Set whether the suite re-runs itself on publish and on release, against which target,
    judged by which model, with which operators and temperatures.

    Raises PermissionDenied without the permission to manage suites, DomainError for an unknown
    operator or temperatures out of range."""
    permission_require(actor, permissions.MANAGE_SUITES, action="change red-team suite settings")
    suite.run_on_publish, suite.run_on_release = run_on_publish, run_on_release
    suite.regression_target, suite.regression_judge = regression_target, regression_judge
    suite.regression_operators = operators_validate(regression_operators)
    suite.regression_temperatures = temperatures_validate(regression_temperatures)
    fields = [
        "run_on_publish", "run_on_release", "regression_target", "regression_judge",
        "regression_operators", "regression_temperatures",
    ]  # fmt: skip
    suite.save(update_fields=fields)
    audit_record(
        actor=actor,
        action="redteam.suite_settings",
        target=suite,
        scope=f"suite:{suite.pk}",
        summary=f"Regression settings of {suite.name}: on publish {run_on_publish}, "
        f"on release {run_on_release}",
        payload={name: str(getattr(suite, name)) for name in fields},
    )
    return suite


def _variant_id(seed: Case, variant: mutations.Variant) -> str:
    locale = variant.params.get("locale")
    return f"{seed.external_id}~{variant.operator}" + (f":{locale}" if locale else "")


def variants_derive(
    *,
    suite: Suite,
    operators,
    seeds: list[Case] | None = None,
    rewrite: Callable[[str], str] | None = None,
) -> int:
    """Derive the missing variants of the suite's harmful seeds under `operators` (existing ones
    are kept, so every run of an operator attacks with the same variant). The model operators
    (translation, paraphrase) need `rewrite`, a function that sends one instruction to a model.
    Returns how many variants were made. A variant the model could not produce is skipped.

    Raises DomainError for an unknown operator, or a model operator without `rewrite`."""
    operators = operators_validate(operators)
    if seeds is None:
        seeds = list(suite.cases.filter(operator="", kind=Case.Kind.HARMFUL))
    locale = settings.REDTEAM_TRANSLATION_LOCALE
    existing = set(suite.cases.exclude(operator="").values_list("external_id", flat=True))
    made = []
    for operator in operators:
        if operator in mutations.MODEL_OPERATORS and rewrite is None:
            raise DomainError(f"The {operator} operator needs a model to rewrite the seeds.")
        for seed in seeds:
            if seed.kind != Case.Kind.HARMFUL:
                continue
            wanted = f"{seed.external_id}~{operator}" + (
                f":{locale}" if operator == "translation" else ""
            )
            if wanted in existing:
                continue
            try:
                if operator == "translation":
                    variant = mutations.translation(
                        seed.messages, seed.external_id, rewrite=rewrite, locale=locale
                    )
                elif operator == "paraphrase":
                    variant = mutations.paraphrase(seed.messages, seed.external_id, rewrite=rewrite)
                else:
                    variant = mutations.TEMPLATE_OPERATORS[operator](
                        seed.messages, seed.external_id
                    )
            except ValueError:
                continue
            made.append(
                Case(
                    suite=suite,
                    external_id=_variant_id(seed, variant),
                    category=seed.category,
                    kind=seed.kind,
                    principles=seed.principles,
                    messages=variant.messages,
                    locale=variant.params.get("locale", seed.locale),
                    operator=variant.operator,
                    parent=seed,
                    params=variant.params,
                )  # fmt: skip
            )
            existing.add(wanted)
    Case.objects.bulk_create(made, ignore_conflicts=True)
    return len(made)
