"""Celery tasks of the `training` queue. Thin: a job id in, one service call. acks_late and
reject_on_worker_lost (settings) bring a killed worker's job back; it resumes from its last
checkpoint."""

from celery import shared_task

from .services.jobs import job_run


@shared_task(acks_late=True)
def train_job(job_id: int) -> str:
    return job_run(job_id=job_id).status
