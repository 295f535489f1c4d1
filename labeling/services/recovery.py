"""Labeling runs whose worker died: the sweep that every worker runs (registered in apps.py),
and "Requeue stuck batches" for people."""

import dataclasses

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from cai_audit.audit import audit_record
from cai_audit.errors import DomainError
from cai_audit.permissions import permission_require

from ..models import LabelingRun, RunBatch
from .batches import Requeued, batches_requeue_lost, batches_requeue_stuck, runs_refresh_forgotten
from .runs import RUN, run_refresh_status


def _enqueue(batch_ids: list[int]) -> None:
    from ..tasks import process_batch

    for batch_id in batch_ids:
        process_batch.delay(batch_id)


def _refresh(run_id: int) -> LabelingRun:
    return run_refresh_status(run_id=run_id)


def labeling_sweep() -> int:
    """Hand out again the batches whose worker stopped beating; finish runs left running."""
    touched = batches_requeue_lost(RunBatch, enqueue=_enqueue, refresh_run=_refresh)
    return touched + runs_refresh_forgotten(LabelingRun, refresh_run=_refresh)


@transaction.atomic
def run_requeue_stuck(*, actor: AbstractBaseUser | None, run: LabelingRun) -> Requeued:
    """Queue again the batches of an unfinished run that no live worker holds; a run with no
    batch left open is finished instead. Refused when every open batch has a live worker."""
    permission_require(actor, RUN, action="requeue labeling runs")
    run = LabelingRun.objects.select_for_update().get(pk=run.pk)
    if run.is_finished:
        raise DomainError(
            f"Run {run.pk} has finished ({run.get_status_display()}); nothing to requeue."
        )
    requeued = batches_requeue_stuck(run)
    if not requeued.batch_ids:
        if requeued.alive:
            raise DomainError(requeued.nothing_stuck())
        run_refresh_status(run_id=run.pk)
        requeued = dataclasses.replace(requeued, run_finished=True)
    audit_record(
        actor=actor, action="run.requeued", target=run, scope=f"run:{run.pk}",
        summary=f"Requeued stuck batches of run {run.pk}: {requeued.summary()}",
        payload={"lost": requeued.lost, "pending": requeued.pending, "alive": requeued.alive},
    )  # fmt: skip
    batch_ids = requeued.batch_ids
    if batch_ids:
        transaction.on_commit(lambda: _enqueue(batch_ids))
    return requeued
