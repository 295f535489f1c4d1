"""Training jobs whose worker died: the sweep that every worker runs (registered in apps.py)
marks them and queues them again, to resume from their last checkpoint; "Requeue" does the same
for people, and for failed jobs."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction
from django.utils import timezone

from cai_audit import permissions
from cai_audit.audit import audit_record
from cai_audit.errors import DomainError
from cai_audit.leases import stale_after_s
from cai_audit.permissions import permission_require
from cai_audit.work.single import work_locked, work_requeue_lost

from ..models import TrainingJob
from .jobs import LOCK_BASE, LOG_KEEP

Status = TrainingJob.Status


def _train_task():
    from ..tasks import train_job

    return train_job


def _trained_elsewhere(job_id: int) -> bool:
    """On PostgreSQL a live worker training the job holds its advisory lock: a stale heartbeat
    alone (a starved thread) does not make the job lost."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_BASE + job_id])
        if not cursor.fetchone()[0]:
            return True
        cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_BASE + job_id])
    return False


def _log(job: TrainingJob, line: str) -> None:
    stamp = timezone.now().strftime("%Y-%m-%d %H:%M:%S")
    job.log = (job.log + f"[{stamp}] {line}\n")[-LOG_KEEP:]


def _gone(job: TrainingJob) -> str:
    return (
        f"Worker lost at step {job.step} of {job.total_steps} (no heartbeat for "
        f"{stale_after_s():.0f} s)"
    )


def _job_lost(job: TrainingJob, gave_up: bool) -> None:
    if gave_up:
        _log(job, job.error)
    else:
        _log(job, f"{_gone(job)}; queued again to resume from its last checkpoint.")


def jobs_requeue_lost() -> int:
    """The sweep: running jobs whose worker stopped beating are marked (a line in their log, one
    more worker lost) and queued again to resume from their last checkpoint; a job whose worker
    was lost WORKERS_LOST_LIMIT times fails instead (out of memory, most likely), for a person
    to requeue. A job whose advisory lock a live worker holds is left alone."""
    return work_requeue_lost(
        TrainingJob,
        status=Status.RUNNING,
        requeue_status=Status.QUEUED,
        task=_train_task(),
        legacy_started="started_at",
        held_elsewhere=lambda job: _trained_elsewhere(job.pk),
        lost_error=lambda job: (
            f"{_gone(job)}. Its worker was lost {job.workers_lost} times, so it is not queued "
            "again by itself: requeue it to resume from its last checkpoint."
        ),
        on_lost=_job_lost,
        fields=("log",),
    )


def training_sweep() -> int:
    return jobs_requeue_lost()


@transaction.atomic
def job_requeue(*, actor: AbstractBaseUser | None, job: TrainingJob) -> TrainingJob:
    """Queue a stuck or failed job again; it resumes from its last checkpoint. Raises
    PermissionDenied without run_training, and DomainError when it is done or cancelled, or a
    live worker is training it."""
    permission_require(actor, permissions.RUN_TRAINING, action="requeue training jobs")
    job = work_locked(TrainingJob, job.pk)
    if job.status in (Status.DONE, Status.CANCELLED):
        raise DomainError(f"The job is {job.status}; start a new one to train again.")
    if job.status == Status.RUNNING and (job.held or _trained_elsewhere(job.pk)):
        raise DomainError(
            f"A live worker is training this job (heartbeat within the last "
            f"{stale_after_s():.0f} s); nothing to requeue."
        )
    was = job.get_status_display().lower()
    if job.status == Status.RUNNING:
        job.workers_lost += 1
    job.status, job.error, job.finished_at, job.heartbeat_at = Status.QUEUED, "", None, None
    job.cancel_requested = False
    _log(job, f"Requeued by hand (it was {was}); resumes from its last checkpoint.")
    job.save(
        update_fields=["status", "error", "finished_at", "heartbeat_at", "workers_lost", "log",
                       "cancel_requested"]
    )  # fmt: skip
    audit_record(
        actor=actor, action="training.requeued", target=job, scope=f"snapshot:{job.snapshot_id}",
        summary=f"Requeued {job.name} (it was {was})",
    )  # fmt: skip
    _train_task().delay_on_commit(job.pk)
    return job
