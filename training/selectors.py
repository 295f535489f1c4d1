"""Reads for training pages: how far a job has come."""

from cai_audit.work.progress import Progress

from .models import TrainingJob


def training_job_progress(*, job: TrainingJob) -> Progress:
    """Training steps done out of the job's total (which the trainer may raise as it starts)."""
    return Progress(
        done=job.step,
        total=job.total_steps,
        status=job.status,
        status_label=job.get_status_display(),
        finished=job.is_finished,
        eta_s=job.eta_s,
        unit="steps",
    )
