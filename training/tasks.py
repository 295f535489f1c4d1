"""Celery tasks of training: jobs and model packing on the `training` queue (where the GPUs and
model files are), snapshot exports on `default`. Thin: an id in, one service call; acks_late,
the retry policy and the failure hook are the shared base task's (cai_audit/work/tasks.py). A
training job is not retried by itself (training is long and its errors rarely pass): a person
requeues it. While a job trains its heartbeat stays fresh; when its worker dies the others'
sweep marks it and queues it again (cai_audit/leases.py), and acks_late + reject_on_worker_lost
(settings) bring its message back too. Either way it resumes from its last checkpoint."""

from cai_audit.work.tasks import queued_task

from .services.exports import snapshot_export_give_up, snapshot_export_run
from .services.jobs import job_mark_failed, job_run
from .services.packages import model_package_give_up, model_package_run


def _job_give_up(job_id: int, error: str) -> None:
    job_mark_failed(job_id=job_id, error=error)


@queued_task(give_up=_job_give_up, autoretry_for=(), max_retries=0)
def train_job(job_id: int) -> str:
    return job_run(job_id=job_id).status


@queued_task(give_up=snapshot_export_give_up, queue="default")
def export_snapshot(job_id: int) -> str:
    """A snapshot export, on the `default` queue (it reads the database, not the GPU)."""
    job = snapshot_export_run(job_id=job_id)
    return job.status if job is not None else "not mine"


@queued_task(give_up=model_package_give_up)
def package_model(package_id: int) -> str:
    """A trained model's archive, on the `training` queue (where the model files are)."""
    package = model_package_run(package_id=package_id)
    return package.status if package is not None else "not mine"
