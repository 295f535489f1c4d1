"""Celery tasks of the `training` queue. Thin: a job id in, one service call. While a job trains
its heartbeat stays fresh; when its worker dies the others' sweep marks it and queues it again
(cai_audit/leases.py), and acks_late + reject_on_worker_lost (settings) bring its message back
too. Either way it resumes from its last checkpoint."""

from celery import shared_task

from .services.jobs import job_run


@shared_task(acks_late=True)
def train_job(job_id: int) -> str:
    return job_run(job_id=job_id).status
