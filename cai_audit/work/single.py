"""Queued work done by one task, not split into batches (a red-team run's preparation, a
red-team comparison, a training job): the lock that tells whether a live worker holds it, and
the sweep that hands it out again when its worker died (cai_audit/leases.py)."""

from collections.abc import Callable

from django.db import models, transaction
from django.db.models import BooleanField, ExpressionWrapper
from django.utils import timezone

from cai_audit.leases import SWEEP_BATCH, WORKERS_LOST_LIMIT, lease_fresh, lease_lost

from .alerts import work_failed_alert
from .models import RunStatus
from .tasks import enqueue_on_commit


def work_locked(model: type[models.Model], pk: int) -> models.Model:
    """The row, locked until the caller's transaction ends, with `held`: whether a live worker
    holds it (its heartbeat is fresh)."""
    return (
        model.objects.select_for_update()
        .annotate(held=ExpressionWrapper(lease_fresh(), output_field=BooleanField()))
        .get(pk=pk)
    )


def work_requeue_lost(
    model: type[models.Model],
    *,
    status: str,
    task,
    lost_error: Callable[[models.Model], str],
    requeue_status: str | None = None,
    legacy_started: str | None = None,
    held_elsewhere: Callable[[models.Model], bool] | None = None,
    on_lost: Callable[[models.Model, bool], None] | None = None,
    fields: tuple[str, ...] = (),
) -> int:
    """The sweep of one kind of single-task work: rows in `status` whose worker stopped beating
    get one more lost worker and are queued again (in `requeue_status`, when it changes), or,
    once their worker was lost WORKERS_LOST_LIMIT times, are failed with `lost_error(row)` for a
    person to requeue. `held_elsewhere(row)` keeps a row a live worker still holds by other
    means (an advisory lock); `on_lost(row, gave_up)` adds the kind's own notes (written with
    `fields`). Returns how many rows it touched.

    Locking: select_for_update(skip_locked=True), so two workers sweeping at once never queue one
    row twice, and a row being claimed right now is left to its claimer."""
    with transaction.atomic():
        lost = [
            row
            for row in model.objects.select_for_update(skip_locked=True)
            .filter(lease_lost(legacy_started=legacy_started), status=status)
            .order_by("pk")[:SWEEP_BATCH]
            if held_elsewhere is None or not held_elsewhere(row)
        ]
        requeued = []
        for row in lost:
            row.workers_lost += 1
            row.heartbeat_at = None
            gave_up = row.workers_lost >= WORKERS_LOST_LIMIT
            if gave_up:
                row.status, row.finished_at = RunStatus.FAILED, timezone.now()
                row.error = lost_error(row)
                work_failed_alert(model, row.pk, row.error)
            else:
                row.status = requeue_status or row.status
                requeued.append(row.pk)
            if on_lost is not None:
                on_lost(row, gave_up)
        model.objects.bulk_update(
            lost, ["workers_lost", "heartbeat_at", "status", "finished_at", "error", *fields]
        )
        enqueue_on_commit(task, requeued)
    return len(lost)
