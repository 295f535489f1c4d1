"""Red-team work whose worker died: the sweep that every worker runs (registered in apps.py),
and "Requeue stuck batches" for people. Batches follow the shared life cycle of batched work
(cai_audit/work/runs.py); a run's preparation and the comparisons are single-task work
(cai_audit/work/single.py)."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from cai_audit import permissions
from cai_audit.audit import audit_record
from cai_audit.errors import DomainError
from cai_audit.permissions import permission_require
from cai_audit.work.batches import Requeued
from cai_audit.work.runs import run_batches_requeue, runs_sweep
from cai_audit.work.single import work_locked, work_requeue_lost

from ..models import Run
from .matchups import matchups_requeue_lost
from .runs import WORK, prepare_task


def preparations_requeue_lost() -> int:
    """Runs whose preparing worker stopped beating: preparation is queued again (it keeps the
    variants made so far), or the run fails once its worker was lost WORKERS_LOST_LIMIT times."""
    return work_requeue_lost(
        Run,
        status=Run.Status.PREPARING,
        task=prepare_task(),
        lost_error=lambda run: f"The worker preparing it was lost {run.workers_lost} times.",
    )


def redteam_sweep() -> int:
    """Hand out again the preparations, batches and matchups whose worker stopped beating, and
    finish runs left running."""
    touched = preparations_requeue_lost()
    touched += runs_sweep(work=WORK)
    return touched + matchups_requeue_lost()


@transaction.atomic
def run_requeue_stuck(*, actor: AbstractBaseUser | None, run: Run) -> Requeued:
    """Queue again what of an unfinished run no live worker holds: its preparation (queued, or
    preparing without a heartbeat), or its batches. Raises PermissionDenied without
    run_redteam, and DomainError when the run has finished or a live worker holds it all."""
    permission_require(actor, permissions.RUN_REDTEAM, action="requeue red-team runs")
    run = work_locked(Run, run.pk)
    if run.is_finished:
        raise DomainError(
            f"Run {run.pk} has finished ({run.get_status_display()}); nothing to requeue."
        )
    if run.status in (Run.Status.QUEUED, Run.Status.PREPARING):
        if run.status == Run.Status.PREPARING and run.held:
            raise DomainError("A live worker is preparing this run (its heartbeat is fresh).")
        if run.status == Run.Status.PREPARING:
            run.workers_lost, run.heartbeat_at = run.workers_lost + 1, None
            run.save(update_fields=["workers_lost", "heartbeat_at"])
        requeued = Requeued(lost=[], pending=[], alive=0, preparation=True)
        prepare_task().delay_on_commit(run.pk)
    else:
        requeued = run_batches_requeue(work=WORK, run=run)
    audit_record(
        actor=actor, action="redteam.run_requeued", target=run, scope=f"suite:{run.suite_id}",
        summary=f"Requeued red-team run {run.pk}: {requeued.summary()}",
        payload={"lost": requeued.lost, "pending": requeued.pending, "alive": requeued.alive},
    )  # fmt: skip
    return requeued
