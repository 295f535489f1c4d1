"""Celery tasks of human review, on the `default` queue. Thin: a job id in, one service call."""

from cai_audit.work.tasks import queued_task

from .services.draws import sample_draw_job_give_up, sample_draw_job_run


@queued_task(give_up=sample_draw_job_give_up, queue="default")
def draw_sample(job_id: int) -> str:
    job = sample_draw_job_run(job_id=job_id)
    return job.status if job is not None else "not mine"
