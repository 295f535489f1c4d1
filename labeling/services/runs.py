"""Labeling runs: create and split into batches, cancel, retry, and keep status up to date."""

import random

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from cai_audit import permissions
from cai_audit.audit import audit_record
from cai_audit.bounds import numbers_check
from cai_audit.errors import DomainError
from cai_audit.permissions import permission_require
from cai_audit.roles import user_or_none
from cai_audit.work.runs import (
    BatchedWork,
    run_batches_create,
    run_batches_retry_failed,
    run_cancel_batches,
    run_status_refresh,
)

from ..judging import combine_principles
from ..models import (
    CriticConfig,
    Item,
    ItemSet,
    LabelingRun,
    PreferenceEnsemble,
    PreferenceLabel,
    PromptTemplate,
    RunBatch,
)
from ..prompts import TEMPLATES, template_hash

KINDS = {"critique": ("critique", "revision"), "preference": ("judge",)}
MAX_UNITS = 2_000_000


def _codes(version, selection: str, value: str) -> list[str]:
    principles = version.principles.filter(locale="").order_by("priority", "code")
    if selection == LabelingRun.Selection.CATEGORY:
        principles = principles.filter(category=value)
    elif selection == LabelingRun.Selection.CODE:
        principles = principles.filter(code=value)
    codes = list(principles.values_list("code", flat=True))
    if not codes:
        raise DomainError(f"No principle of v{version.number} matches {selection} {value!r}.")
    return codes


def _units(run: LabelingRun, item_ids: list[int], codes: list[str]) -> list[list]:
    if run.selection == LabelingRun.Selection.SAMPLED:
        # One principle per item, as in Bai et al.; reproducible from the run's seed.
        return [[i, random.Random(f"{run.seed}:{i}").choice(codes)] for i in item_ids]  # noqa: S311
    return [[i, code] for i in item_ids for code in codes]


def _record_templates(task: str) -> dict[str, str]:
    hashes = {}
    for kind in KINDS[task]:
        digest = template_hash(kind)
        PromptTemplate.objects.get_or_create(
            sha256=digest, defaults={"kind": kind, "text": TEMPLATES[kind]}
        )
        hashes[kind] = digest
    return hashes


def _batch_task():
    from ..tasks import process_batch

    return process_batch


def _ensembles_write(run: LabelingRun) -> None:
    """When a preference run finishes: each item judged under several principles gets its
    combined verdict and how much the principles disagree."""
    if run.task != LabelingRun.Task.PREFERENCE:
        return
    rows: dict[int, list[float]] = {}
    for item_id, p_a in PreferenceLabel.objects.filter(run=run).values_list("item_id", "p_a"):
        rows.setdefault(item_id, []).append(p_a)
    PreferenceEnsemble.objects.bulk_create(
        (
            PreferenceEnsemble(run=run, item_id=item_id, **vars(combine_principles(p_as)))
            for item_id, p_as in rows.items()
            if len(p_as) > 1
        ),
        ignore_conflicts=True,
        batch_size=2000,
    )


#: Labeling runs in the shared life cycle of batched work (cai_audit/work/runs.py).
WORK = BatchedWork(
    run_model=LabelingRun, batch_model=RunBatch, batch_task=_batch_task, on_finish=_ensembles_write
)


@transaction.atomic
def run_create(
    *,
    actor: AbstractBaseUser | None,
    constitution_version,
    item_set: ItemSet,
    critic: CriticConfig,
    task: str,
    selection: str = LabelingRun.Selection.ALL,
    selection_value: str = "",
    item_limit: int | None = None,
    seed: int = 0,
    batch_size: int = 16,
) -> LabelingRun:
    """Create a run, split it into batches, and queue them (after commit) on `labeling`.

    Raises PermissionDenied without run_labeling; DomainError for numbers out of bounds, an
    unknown task, a selection that matches nothing, an item set with nothing to label for the
    task, or more units than one run may hold."""
    permission_require(actor, permissions.RUN_LABELING, action="start labeling runs")
    numbers_check(LabelingRun, item_limit=item_limit, seed=seed, batch_size=batch_size)
    if task not in KINDS:
        raise DomainError(f"Unknown task {task!r}.")
    if not constitution_version.is_published:
        raise DomainError(
            "Label against a published constitution version, so labels stay traceable."
        )
    kind = Item.Kind.SINGLE if task == "critique" else Item.Kind.PAIR
    items = item_set.items.filter(kind=kind).order_by("line").values_list("id", flat=True)
    item_ids = list(items[:item_limit] if item_limit else items)
    if not item_ids:
        need = "single responses" if task == "critique" else "response pairs"
        raise DomainError(f"{item_set} has no {need} to label for a {task} run.")
    codes = _codes(constitution_version, selection, selection_value)
    run = LabelingRun.objects.create(
        constitution_version=constitution_version,
        item_set=item_set,
        critic=critic,
        task=task,
        selection=selection,
        selection_value=selection_value,
        item_limit=item_limit,
        seed=seed,
        batch_size=max(1, min(batch_size, 512)),
        created_by=user_or_none(actor),
        prompt_templates=_record_templates(task),
        critic_snapshot=critic.snapshot(),
    )
    units = _units(run, item_ids, codes)
    if len(units) > MAX_UNITS:
        raise DomainError(f"{len(units)} labels is more than one run may hold ({MAX_UNITS}).")
    batch_ids = run_batches_create(work=WORK, run=run, units=units, size=run.batch_size)
    audit_record(
        actor=actor,
        action="run.created",
        target=run,
        scope=f"run:{run.pk}",
        summary=f"Started {task} run on {item_set} with {critic} ({len(units)} labels)",
        payload={"version": constitution_version.pk, "codes": codes, "batches": len(batch_ids)},
    )
    WORK.enqueue(batch_ids)
    return run


@transaction.atomic
def run_cancel(*, actor: AbstractBaseUser | None, run: LabelingRun) -> LabelingRun:
    """Cancel an unfinished run (its pending batches are skipped, running ones stop at their
    next step). Raises PermissionDenied without run_labeling, DomainError when it finished."""
    permission_require(actor, permissions.RUN_LABELING, action="cancel labeling runs")
    run = run_cancel_batches(work=WORK, run_id=run.pk)
    audit_record(
        actor=actor, action="run.cancelled", target=run, scope=f"run:{run.pk}",
        summary=f"Cancelled run {run.pk}",
    )  # fmt: skip
    return run


@transaction.atomic
def run_retry_failed(*, actor: AbstractBaseUser | None, run: LabelingRun) -> int:
    """Queue the failed batches again; labels they already wrote are kept, not duplicated.
    Raises PermissionDenied without run_labeling, DomainError when no batch failed."""
    permission_require(actor, permissions.RUN_LABELING, action="retry labeling runs")
    failed = run_batches_retry_failed(work=WORK, run_id=run.pk)
    audit_record(
        actor=actor, action="run.retried", target=run, scope=f"run:{run.pk}",
        summary=f"Retried {len(failed)} failed batches of run {run.pk}",
    )  # fmt: skip
    return len(failed)


def run_refresh_status(*, run_id: int) -> LabelingRun:
    """Finish the run once no batch is pending or running (see run_status_refresh). Raises
    DoesNotExist for an unknown run."""
    return run_status_refresh(work=WORK, run_id=run_id)
