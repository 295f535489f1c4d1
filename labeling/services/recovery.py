"""Labeling runs whose worker died: the sweep that every worker runs (registered in apps.py),
and "Requeue stuck batches" for people. Both are the shared life cycle's (cai_audit/work)."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from cai_audit import permissions
from cai_audit.audit import audit_record
from cai_audit.errors import DomainError
from cai_audit.permissions import permission_require
from cai_audit.work.batches import Requeued
from cai_audit.work.runs import run_batches_requeue, run_locked, runs_sweep

from ..models import LabelingRun
from .runs import WORK


def labeling_sweep() -> int:
    """Hand out again the batches whose worker stopped beating; finish runs left running."""
    return runs_sweep(work=WORK)


@transaction.atomic
def run_requeue_stuck(*, actor: AbstractBaseUser | None, run: LabelingRun) -> Requeued:
    """Queue again the batches of an unfinished run that no live worker holds; a run with no
    batch left open is finished instead. Raises PermissionDenied without run_labeling, and
    DomainError when the run has finished or every open batch has a live worker."""
    permission_require(actor, permissions.RUN_LABELING, action="requeue labeling runs")
    run = run_locked(work=WORK, run_id=run.pk)
    if run.is_finished:
        raise DomainError(
            f"Run {run.pk} has finished ({run.get_status_display()}); nothing to requeue."
        )
    requeued = run_batches_requeue(work=WORK, run=run)
    audit_record(
        actor=actor, action="run.requeued", target=run, scope=f"run:{run.pk}",
        summary=f"Requeued stuck batches of run {run.pk}: {requeued.summary()}",
        payload={"lost": requeued.lost, "pending": requeued.pending, "alive": requeued.alive},
    )  # fmt: skip
    return requeued
