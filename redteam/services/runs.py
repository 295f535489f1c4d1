"""Red-team runs: create (and queue), derive variants and split into batches, cancel, finish."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models.functions import Now
from django.utils import timezone

from cai_audit import permissions
from cai_audit.audit import audit_record
from cai_audit.bounds import numbers_check
from cai_audit.errors import DomainError
from cai_audit.permissions import permission_require
from cai_audit.roles import user_or_none
from cai_audit.work.alerts import work_failed_alert
from cai_audit.work.runs import (
    BatchedWork,
    run_batches_create,
    run_cancel_batches,
    run_status_refresh,
)
from cai_audit.work.single import work_locked
from labeling.models import CriticConfig, PromptTemplate

from .. import mutations, prompts
from ..models import Batch, Case, Run, Suite
from .suites import operators_validate, temperatures_validate, variants_derive

MAX_UNITS = 200_000


def _record_template() -> dict[str, str]:
    digest = prompts.template_hash()
    PromptTemplate.objects.get_or_create(
        sha256=digest, defaults={"kind": "redteam_verdict", "text": prompts.TEMPLATE}
    )
    return {"redteam_verdict": digest}


def prepare_task():
    """The task that derives a run's variants and batches (tasks.py imports these services)."""
    from ..tasks import prepare_run

    return prepare_run


def _batch_task():
    from ..tasks import process_batch

    return process_batch


#: Red-team runs in the shared life cycle of batched work (cai_audit/work/runs.py).
WORK = BatchedWork(run_model=Run, batch_model=Batch, batch_task=_batch_task)


@transaction.atomic
def run_create(
    *,
    actor: AbstractBaseUser | None,
    suite: Suite,
    constitution_version,
    target: CriticConfig,
    judge: CriticConfig,
    operators=(),
    temperatures=(0.0,),
    max_new_tokens: int | None = None,
    seed: int = 0,
    case_limit: int | None = None,
    trigger: str = Run.Trigger.MANUAL,
    release_tag: str = "",
    batch_size: int = 16,
    enqueue: bool = True,
) -> Run:
    """Create a run; after commit its preparation (variants, batches) is queued on `labeling`.
    `enqueue=False` leaves the queueing to the caller (a command that works in-process).

    Raises PermissionDenied without the permission to run red-team runs; DomainError for a
    draft constitution version, a suite without cases, numbers out of bounds, an unknown
    operator or temperatures out of range."""
    permission_require(actor, permissions.RUN_REDTEAM, action="start red-team runs")
    numbers_check(Run, seed=seed, case_limit=case_limit)
    if not constitution_version.is_published:
        raise DomainError("Red-team against a published constitution version.")
    if not suite.cases.filter(operator="").exists():
        raise DomainError(f"Suite {suite} has no cases.")
    max_new_tokens = max_new_tokens or target.max_new_tokens
    if not 1 <= max_new_tokens <= 2048:
        raise DomainError("The answer length must be between 1 and 2048 tokens.")
    if case_limit is not None and case_limit < 1:
        raise DomainError("The case limit must be at least 1.")
    run = Run.objects.create(
        suite=suite,
        constitution_version=constitution_version,
        target=target,
        judge=judge,
        operators=operators_validate(operators),
        temperatures=temperatures_validate(temperatures),
        max_new_tokens=max_new_tokens,
        seed=seed,
        case_limit=case_limit,
        trigger=trigger,
        release_tag=release_tag[:100],
        batch_size=max(1, min(batch_size, 256)),
        prompt_templates=_record_template(),
        target_snapshot=target.snapshot(),
        judge_snapshot=judge.snapshot(),
        created_by=user_or_none(actor),
    )
    audit_record(
        actor=actor,
        action="redteam.run_created",
        target=run,
        scope=f"suite:{suite.pk}",
        summary=f"Red-team run of {suite.name} against {target.name} "
        f"({run.get_trigger_display().lower()})",
        payload={"version": constitution_version.pk, "operators": run.operators,
                 "temperatures": run.temperatures, "release_tag": release_tag},
    )  # fmt: skip
    if enqueue:
        prepare_task().delay_on_commit(run.pk)
    return run


def _cases_for(run: Run) -> list[Case]:
    seeds, taken = [], {}
    for case in run.suite.cases.filter(operator="").order_by("kind", "category", "external_id"):
        key = (case.kind, case.category)
        taken[key] = taken.get(key, 0) + 1
        if not run.case_limit or taken[key] <= run.case_limit:
            seeds.append(case)
    variants = Case.objects.filter(
        parent__in=[seed.pk for seed in seeds], operator__in=run.operators
    ).order_by("external_id")
    return seeds + list(variants)


def run_prepare(*, run_id: int, rewrite=None) -> Run:
    """Derive the variants the run's operators need (the model operators through `rewrite`,
    by default the judge's backend), then split case x temperature into queued batches.
    Idempotent: a run that has batches already is left as it is.

    Raises the rewriting backend's errors (a TransientError is retried by the task)."""
    with transaction.atomic():
        run = work_locked(Run, run_id)
        if run.status not in (Run.Status.QUEUED, Run.Status.PREPARING):
            return run  # a redelivery after the batches were made, or a cancelled run
        if run.status == Run.Status.PREPARING and run.held:
            return run  # a live worker is preparing it (its heartbeat is fresh)
        run.status, run.started_at = Run.Status.PREPARING, run.started_at or timezone.now()
        run.heartbeat_at = Now()
        run.save(update_fields=["status", "started_at", "heartbeat_at"])
    seeds = [case for case in _cases_for(run) if case.operator == ""]
    if any(op in mutations.MODEL_OPERATORS for op in run.operators) and rewrite is None:
        rewrite = _rewriter(run.judge)
    variants_derive(suite=run.suite, operators=run.operators, seeds=seeds, rewrite=rewrite)
    with transaction.atomic():
        run = Run.objects.select_for_update().get(pk=run_id)
        if run.status != Run.Status.PREPARING or run.batches.exists():
            return run  # cancelled meanwhile, or another delivery made the batches
        codes = set(run.constitution_version.principles.values_list("code", flat=True))
        cases, left_out = [], []
        for case in _cases_for(run):
            (cases if codes & set(case.principles) else left_out).append(case)
        if left_out:
            named = ", ".join(case.external_id for case in left_out[:10])
            named += ", ..." if len(left_out) > 10 else ""
            run.notes = [
                f"{len(left_out)} case(s) left out: none of their principles is in "
                f"v{run.constitution_version.number} ({named})."
            ]
        units = [[case.pk, t] for case in cases for t in run.temperatures]
        if not units:
            run.status, run.finished_at = Run.Status.FAILED, timezone.now()
            run.error = "No case of the suite tests a principle of this constitution version."
            run.save(update_fields=["status", "finished_at", "error", "notes"])
            work_failed_alert(Run, run.pk, run.error)
            return run
        if len(units) > MAX_UNITS:
            units = units[:MAX_UNITS]
            run.notes.append(f"Capped at {MAX_UNITS} answers.")
        batch_ids = run_batches_create(work=WORK, run=run, units=units, size=run.batch_size)
        run.status = Run.Status.RUNNING
        run.save(update_fields=["status", "notes"])
        WORK.enqueue(batch_ids)
    return run


def _rewriter(judge: CriticConfig):
    from labeling.engine.base import GenerationParams
    from labeling.services.processing import backend_for

    backend = backend_for(judge)
    params = GenerationParams(max_new_tokens=max(judge.max_new_tokens, 64))

    def rewrite(instruction: str) -> str:
        return backend.generate([[{"role": "user", "content": instruction}]], params)[0].text

    return rewrite


@transaction.atomic
def run_cancel(*, actor: AbstractBaseUser | None, run: Run) -> Run:
    """Cancel an unfinished run (a preparation not yet done stops there). Raises
    PermissionDenied without run_redteam, DomainError when it has finished."""
    permission_require(actor, permissions.RUN_REDTEAM, action="cancel red-team runs")
    run = run_cancel_batches(work=WORK, run_id=run.pk)
    audit_record(
        actor=actor, action="redteam.run_cancelled", target=run, scope=f"suite:{run.suite_id}",
        summary=f"Cancelled red-team run {run.pk}",
    )  # fmt: skip
    return run


def run_refresh_status(*, run_id: int) -> Run:
    """Finish the run once no batch is pending or running; a run still queued or preparing has
    no batches yet and is left alone (see run_status_refresh). Raises DoesNotExist for an
    unknown run."""
    return run_status_refresh(work=WORK, run_id=run_id)
