"""Red-team work whose worker died: the sweep that every worker runs (registered in apps.py),
and "Requeue stuck batches" for people. Matchups have theirs in matchups.py."""

import dataclasses

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper
from django.utils import timezone

from cai_audit.audit import audit_record
from cai_audit.errors import DomainError
from cai_audit.leases import SWEEP_BATCH, WORKERS_LOST_LIMIT, lease_fresh, lease_lost
from cai_audit.permissions import permission_require
from labeling.services.batches import (
    Requeued,
    batches_requeue_lost,
    batches_requeue_stuck,
    runs_refresh_forgotten,
)

from ..models import Batch, Run
from .matchups import matchups_requeue_lost
from .runs import RUN, run_refresh_status


def _enqueue_batches(batch_ids: list[int]) -> None:
    from ..tasks import process_batch

    for batch_id in batch_ids:
        process_batch.delay(batch_id)


def _enqueue_prepare(run_ids: list[int]) -> None:
    from ..tasks import prepare_run

    for run_id in run_ids:
        prepare_run.delay(run_id)


def _refresh(run_id: int) -> Run:
    return run_refresh_status(run_id=run_id)


def preparations_requeue_lost() -> int:
    """Runs whose preparing worker stopped beating: preparation is queued again (it keeps the
    variants made so far), or the run fails once its worker was lost WORKERS_LOST_LIMIT times.
    Locking: select_for_update(skip_locked) so two sweeping workers never queue one twice."""
    with transaction.atomic():
        lost = list(
            Run.objects.select_for_update(skip_locked=True)
            .filter(lease_lost(), status=Run.Status.PREPARING)
            .order_by("pk")[:SWEEP_BATCH]
        )
        requeued = []
        for run in lost:
            run.workers_lost += 1
            run.heartbeat_at = None
            if run.workers_lost >= WORKERS_LOST_LIMIT:
                run.status, run.finished_at = Run.Status.FAILED, timezone.now()
                run.error = f"The worker preparing it was lost {run.workers_lost} times."
            else:
                requeued.append(run.pk)
        Run.objects.bulk_update(lost, ["workers_lost", "heartbeat_at", "status", "finished_at",
                                       "error"])  # fmt: skip
        if requeued:
            transaction.on_commit(lambda: _enqueue_prepare(requeued))
    return len(lost)


def redteam_sweep() -> int:
    """Hand out again the preparations, batches and matchups whose worker stopped beating, and
    finish runs left running."""
    touched = preparations_requeue_lost()
    touched += batches_requeue_lost(Batch, enqueue=_enqueue_batches, refresh_run=_refresh)
    touched += runs_refresh_forgotten(Run, refresh_run=_refresh)
    return touched + matchups_requeue_lost()


@transaction.atomic
def run_requeue_stuck(*, actor: AbstractBaseUser | None, run: Run) -> Requeued:
    """Queue again what of an unfinished run no live worker holds: its preparation (queued, or
    preparing without a heartbeat), or its batches. Refused when a live worker holds it all."""
    permission_require(actor, RUN, action="requeue red-team runs")
    run = (
        Run.objects.select_for_update()
        .annotate(held=ExpressionWrapper(lease_fresh(), output_field=BooleanField()))
        .get(pk=run.pk)
    )
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
        transaction.on_commit(lambda: _enqueue_prepare([run.pk]))
    else:
        requeued = batches_requeue_stuck(run)
        if not requeued.batch_ids:
            if requeued.alive:
                raise DomainError(requeued.nothing_stuck())
            run_refresh_status(run_id=run.pk)
            requeued = dataclasses.replace(requeued, run_finished=True)
        batch_ids = requeued.batch_ids
        if batch_ids:
            transaction.on_commit(lambda: _enqueue_batches(batch_ids))
    audit_record(
        actor=actor, action="redteam.run_requeued", target=run, scope=f"suite:{run.suite_id}",
        summary=f"Requeued red-team run {run.pk}: {requeued.summary()}",
        payload={"lost": requeued.lost, "pending": requeued.pending, "alive": requeued.alive},
    )  # fmt: skip
    return requeued
