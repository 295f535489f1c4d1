"""Single-task jobs: long work taken off the request (an active-sampling draw, a snapshot export,
a trained model's packaging). The request records a job row and enqueues one task; the task
claims the row, reports progress on it as it goes and records the result or the error; the
page polls the one progress partial, the API answers 202 with the job's status URL.

A claimed job keeps its heartbeat fresh (cai_audit/leases.py), so a job whose worker died is
handed out again by the workers' sweep (`jobs_requeue_lost`, registered by each app), and a
redelivered message for a job a live worker holds is dropped. A failed job can be queued again
by hand (`job_retry`).
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from django.contrib.auth.models import AbstractBaseUser
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Now
from django.utils import timezone

from cai_audit.audit import audit_record
from cai_audit.errors import DomainError
from cai_audit.leases import WorkerLease, lease_kept, stale_after_s

from .alerts import work_failed_alert
from .models import QueuedWork, RunStatus
from .progress import Progress
from .single import work_locked, work_requeue_lost

#: How a job reports progress: (units done, units in all, what it is doing now).
ProgressReport = Callable[[int, int, str], None]


class JobStatus(models.TextChoices):
    """RunStatus's stored values, named for one job rather than a run of batches."""

    QUEUED = RunStatus.QUEUED.value, "Queued"
    RUNNING = RunStatus.RUNNING.value, "Running"
    DONE = RunStatus.DONE.value, "Done"
    FAILED = RunStatus.FAILED.value, "Failed"
    CANCELLED = RunStatus.CANCELLED.value, "Cancelled"


class QueuedJob(QueuedWork, WorkerLease):
    """One piece of long work done by one task. Concrete models add what the job was asked to do
    and a link to what it made."""

    status = models.CharField(max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    attempts = models.PositiveIntegerField(
        default=0, help_text="How often a worker started it (retries and requeues included)."
    )
    done_units = models.PositiveBigIntegerField(default=0, help_text="Units of work done so far.")
    total_units = models.PositiveBigIntegerField(
        default=0, help_text="Units of work in all (0 while unknown)."
    )
    stage = models.CharField(max_length=200, blank=True, help_text="What it is doing now.")

    class Meta:
        abstract = True

    @property
    def progress(self) -> Progress:
        """The job's progress value (for templates; code calls `job_progress`)."""
        return job_progress(self)


Job = TypeVar("Job", bound=QueuedJob)


def job_progress(job: QueuedJob) -> Progress:
    """The job's progress value, as the progress partial and the API show it."""
    label = job.stage
    if job.status == RunStatus.FAILED:
        label = job.error
    elif job.status == RunStatus.QUEUED:
        label = "Waiting for a worker"
    elif job.total_units and job.status == RunStatus.RUNNING:
        label = f"{job.stage} ({job.done_units:,} of {job.total_units:,})".strip()
    return Progress(
        done=min(job.done_units, job.total_units) if job.total_units else job.done_units,
        total=job.total_units,
        status=job.status,
        status_label=job.get_status_display(),
        finished=job.is_finished,
        label=label,
    )


def job_claim(model: type[Job], job_id: int) -> Job | None:
    """Take the job for this worker: queued, or running on a worker whose heartbeat went stale.
    None when it is finished or a live worker holds it (a redelivered message). Locking:
    select_for_update, so two workers never both take it."""
    with transaction.atomic():
        try:
            job = work_locked(model, job_id)
        except model.DoesNotExist:
            return None
        if job.is_finished:
            return None
        if job.status == RunStatus.RUNNING and job.held:
            return None
        job.status, job.error = RunStatus.RUNNING, ""
        job.attempts += 1
        job.started_at = job.started_at or timezone.now()
        job.save(update_fields=["status", "error", "attempts", "started_at"])
        model.objects.filter(pk=job.pk).update(heartbeat_at=Now())
    return job


@contextmanager
def job_working(job: QueuedJob) -> Iterator[ProgressReport]:
    """Around the work of a claimed job: keeps its heartbeat fresh and yields the function the
    work reports progress with (written to the row at once; callers report every chunk). When
    the work raises, the job goes back to queued for the task's retry (or its failure hook)."""
    model = type(job)
    running = Q(status=RunStatus.RUNNING)

    def report(done: int, total: int, stage: str) -> None:
        job.done_units, job.total_units, job.stage = done, total, stage[:200]
        model.objects.filter(running, pk=job.pk).update(
            done_units=done, total_units=total, stage=job.stage
        )

    release = {"status": RunStatus.QUEUED, "heartbeat_at": None}
    with lease_kept(model, job.pk, holding=running, release=release):
        yield report


def job_succeed(job: QueuedJob, **result) -> None:
    """Record the job done, with `result` (its fields naming what it made)."""
    job.status, job.finished_at, job.heartbeat_at = RunStatus.DONE, timezone.now(), None
    job.done_units = max(job.done_units, job.total_units)
    for name, value in result.items():
        setattr(job, name, value)
    fields = ["status", "finished_at", "heartbeat_at", "done_units", *result]
    job.save(update_fields=fields)


def job_fail(model: type[QueuedJob], job_id: int, error: str) -> None:
    """Record the job failed with `error` (a refusal of the domain, or the task's failure hook
    once its retries are spent) and send the WORK_FAILED alert after commit. A job that is
    already finished stays as it is."""
    failed = (
        model.objects.filter(pk=job_id)
        .exclude(status__in=[RunStatus.DONE, RunStatus.CANCELLED])
        .update(status=RunStatus.FAILED, error=error[:5000], finished_at=Now(), heartbeat_at=None)
    )
    if failed:
        work_failed_alert(model, job_id, error)


def job_do(
    model: type[Job], job_id: int, work: Callable[[Job, ProgressReport], dict]
) -> Job | None:
    """A single-task job's task body: claim the job, do `work(job, report)` while its heartbeat
    is kept, and record it done with the fields `work` returns (what it made). A refusal of the
    domain (DomainError) fails the job with its message and is not raised; other errors
    propagate, so the task retries or gives up. None when the job is not this worker's to do
    (finished, or a live worker holds it)."""
    job = job_claim(model, job_id)
    if job is None:
        return None
    try:
        with job_working(job) as report:
            result = work(job, report)
    except DomainError as error:
        job_fail(model, job.pk, error.message)
        job.refresh_from_db()
        return job
    job_succeed(job, **result)
    return job


def job_retry(job: Job) -> Job:
    """Queue a failed job again (the caller enqueues its task after commit and audits it).
    Raises DomainError unless the job failed."""
    model = type(job)
    with transaction.atomic():
        job = model.objects.select_for_update().get(pk=job.pk)
        if job.status != RunStatus.FAILED:
            raise DomainError(f"Only a failed job can be retried; this one is {job.status}.")
        job.status, job.error, job.finished_at, job.heartbeat_at = RunStatus.QUEUED, "", None, None
        job.done_units = 0
        job.save(update_fields=["status", "error", "finished_at", "heartbeat_at", "done_units"])
    return job


def job_retry_recorded(
    job: Job,
    *,
    actor: AbstractBaseUser | None,
    enqueue: Callable[[Job], None],
    action: str,
    summary: str,
    scope: str,
    target: models.Model | None = None,
) -> Job:
    """Queue a failed job again by hand, in one transaction: the job (`job_retry`), the audit
    event (`action` on `target`, the job by default) and its task (`enqueue`, sent after
    commit). Raises DomainError unless the job failed."""
    with transaction.atomic():
        job = job_retry(job)
        audit_record(actor=actor, action=action, target=target or job, scope=scope, summary=summary)
        enqueue(job)
    return job


def jobs_requeue_lost(model: type[QueuedJob], task) -> int:
    """The sweep for one kind of job: running jobs whose worker stopped beating are queued again
    (`task` sent after commit), or failed once their worker was lost WORKERS_LOST_LIMIT times
    (the shared sweep of single-task work, single.py)."""
    return work_requeue_lost(
        model,
        status=RunStatus.RUNNING,
        requeue_status=RunStatus.QUEUED,
        task=task,
        legacy_started="started_at",
        lost_error=lambda job: (
            f"Its worker was lost {job.workers_lost} times (no heartbeat for "
            f"{stale_after_s():.0f} s): retry it by hand."
        ),
    )
