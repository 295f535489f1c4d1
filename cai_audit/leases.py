"""Leases on queued work: how a worker that died is noticed and its work handed out again.

A worker that holds a batch (or a red-team preparation, a matchup, a training job) keeps the row's
`heartbeat_at` fresh from a background thread. A heartbeat older than the stale bound
(`CAI_WORKER_STALE_S`) means the worker is gone, and the sweep every worker runs
(`cai_audit.celery`) hands the work out again. The broker's visibility timeout stays long, so a
slow batch is never handed out twice; the heartbeat, not the broker, decides when a worker died.
On the filesystem broker that is the only way back: it deletes a message when it hands it out.

Heartbeats are written and compared in database time, so workers on machines whose clocks
disagree still agree on what is stale. Each app registers the sweep of its kinds of work here
(in its `apps.py`), so this module, at the bottom of the house, names none of them.
"""

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection, connections, models
from django.db.models import DateTimeField, ExpressionWrapper, Q
from django.db.models.functions import Now

logger = logging.getLogger(__name__)

#: A row whose worker was lost this many times is failed rather than handed out again (a batch
#: that kills every worker that takes it, say by running out of memory, must not loop forever).
WORKERS_LOST_LIMIT = 3
#: Rows one sweep hands out again, at most, per kind of work (bounded work per pass).
SWEEP_BATCH = 500


class WorkerLease(models.Model):
    """Fields of work that a worker holds while it runs it."""

    heartbeat_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Last sign of life from the worker running it (database time); empty when no "
        "worker holds it.",
    )
    workers_lost = models.PositiveIntegerField(
        default=0, help_text="How often the worker running it died and it was handed out again."
    )

    class Meta:
        abstract = True


def stale_after_s() -> float:
    """Seconds without a heartbeat after which a worker counts as dead."""
    return float(settings.CAI_WORKER_STALE_S)


def heartbeat_every_s() -> float:
    return max(0.2, stale_after_s() / 6)


def sweep_every_s() -> float:
    return max(0.5, stale_after_s() / 3)


def stale_cutoff() -> ExpressionWrapper:
    """Database time minus the stale bound: heartbeats before it are stale."""
    return ExpressionWrapper(
        Now() - timedelta(seconds=stale_after_s()), output_field=DateTimeField()
    )


def lease_fresh() -> Q:
    """Rows a live worker holds."""
    return Q(heartbeat_at__gte=stale_cutoff())


def lease_lost(*, legacy_started: str | None = None) -> Q:
    """Rows whose worker stopped beating. With `legacy_started`, a row that was claimed before
    heartbeats existed (running, no heartbeat) counts too once it started longer ago than the
    stale bound."""
    lost = Q(heartbeat_at__lt=stale_cutoff())
    if legacy_started:
        lost |= Q(heartbeat_at__isnull=True, **{f"{legacy_started}__lt": stale_cutoff()})
    return lost


class _Heartbeat(threading.Thread):
    def __init__(self, rows: models.QuerySet, every_s: float):
        super().__init__(name=f"heartbeat-{rows.model._meta.label_lower}", daemon=True)
        self.rows, self.every_s, self.stopped = rows, every_s, threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(self.every_s):
                try:
                    self.rows.update(heartbeat_at=Now())
                except DatabaseError:
                    # The database went away for a moment: reconnect on the next beat. Missing a
                    # few beats only matters if the stale bound passes, and then the work is
                    # handed out again, which is harmless.
                    logger.warning("Heartbeat of %s failed", self.rows.model.__name__)
                    connections.close_all()
        finally:
            connections.close_all()  # this thread's connections only


@contextmanager
def heartbeat(model: type[models.Model], pk: int, *, holding: Q) -> Iterator[None]:
    """Keep the row's heartbeat fresh while the block runs, as long as it matches `holding`
    (e.g. still running). The claim writes the first heartbeat; this thread writes the rest.

    Inside a transaction (tests that call a task body directly) no thread is started: another
    connection could not see the rows this one has not committed, and would wait on its locks.
    """
    if connection.in_atomic_block:
        yield
        return
    beat = _Heartbeat(model.objects.filter(holding, pk=pk), heartbeat_every_s())
    beat.start()
    try:
        yield
    finally:
        beat.stopped.set()
        beat.join(timeout=10)


@contextmanager
def lease_kept(model: type[models.Model], pk: int, *, holding: Q, release: dict) -> Iterator[None]:
    """Around a task's work on a row it claimed: keep the heartbeat fresh while the work runs,
    and when the work raises (the task will retry, or give up and mark it failed) write
    `release`, so the retry can claim it at once instead of waiting out the stale bound. A
    worker shutting down (SystemExit) keeps its claim: the heartbeat stops and the sweep hands
    the work out again."""
    with heartbeat(model, pk, holding=holding):
        try:
            yield
        except Exception:
            model.objects.filter(holding, pk=pk).update(**release)
            raise


# -- The sweep ------------------------------------------------------------------------------

_sweepers: dict[str, Callable[[], int]] = {}


def stale_work_register(name: str, sweep: Callable[[], int]) -> None:
    """Register the sweep of one kind of work: it hands out again what lost its worker and
    returns how many rows it touched. Called from apps' `ready()`."""
    _sweepers[name] = sweep


def stale_work_sweep() -> dict[str, int]:
    """Run every registered sweep once; one kind failing does not stop the others."""
    touched = {}
    for name, sweep in _sweepers.items():
        try:
            touched[name] = sweep()
        except Exception:
            logger.exception("Sweeping stale %s failed", name)
            continue
        if touched[name]:
            logger.info("Handed out again %d %s whose worker was lost", touched[name], name)
    return touched
