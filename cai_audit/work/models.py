"""The stored status values of queued work, and the abstract models every kind builds on.

The values are those the apps have always stored (runs: queued -> running -> done, failed or
cancelled; batches: pending -> running -> done, failed or skipped), so no row changes."""

from django.conf import settings
from django.db import models

from cai_audit.leases import WorkerLease


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Finished with failed batches"
    CANCELLED = "cancelled", "Cancelled"


class BatchStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"
    SKIPPED = "skipped", "Skipped (run cancelled)"


#: Statuses after which nothing more happens to a run or job (until a person requeues it).
FINISHED = frozenset({RunStatus.DONE, RunStatus.FAILED, RunStatus.CANCELLED})
#: Batch statuses that still wait for a worker.
OPEN_BATCH = frozenset({BatchStatus.PENDING, BatchStatus.RUNNING})


class QueuedWork(models.Model):
    """What every kind of queued work records: who asked for it, when it started and finished,
    and why it failed. Concrete models add their `status` field (values from RunStatus, plus
    their own steps such as a red-team run's "preparing")."""

    error = models.TextField(blank=True, help_text="Why it failed, when it did.")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED


class QueuedRun(QueuedWork):
    """Work split into batches (QueuedBatch rows with a `run` foreign key and `related_name=
    "batches"`), each done by one task; the run finishes once no batch is open."""

    status = models.CharField(max_length=16, choices=RunStatus.choices, default=RunStatus.QUEUED)
    total_units = models.PositiveIntegerField(
        default=0, help_text="Units of work (labels, answers) over all batches."
    )
    total_batches = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class QueuedBatch(WorkerLease):
    """A chunk of a run: the unit of work a Celery task does, idempotently. The worker doing it
    keeps its heartbeat fresh; see cai_audit/leases.py."""

    Status = BatchStatus

    index = models.PositiveIntegerField()
    status = models.CharField(
        max_length=16, choices=BatchStatus.choices, default=BatchStatus.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
