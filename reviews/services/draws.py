"""Active-sampling draws, queued. The request checks what it can check at once (permission,
sizes, enough reviews, not too many candidates) and records a SampleDrawJob; a worker on the
`default` queue embeds the candidates, reporting progress on the job, and records the sample it
drew, or why it could not."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from cai_audit.audit import audit_record
from cai_audit.bounds import numbers_check
from cai_audit.errors import DomainError
from cai_audit.permissions import permission_require
from cai_audit.roles import user_or_none
from cai_audit.work.jobs import ProgressReport, job_do, job_fail, job_retry_recorded
from labeling.filters import LabelFilter

from ..models import Review, ReviewSample, SampleDrawJob
from ..population import label_queryset
from .samples import (
    ACTIVE_KIND,
    DRAW,
    MAX_SAMPLE,
    active_population_check,
    active_reviews_check,
    sample_draw_active,
)


def _enqueue(job: SampleDrawJob) -> None:
    from ..tasks import draw_sample

    draw_sample.delay_on_commit(job.pk)


def sample_draw_queue(
    *,
    actor: AbstractBaseUser | None,
    name: str,
    n: int,
    seed: int = 0,
    where: LabelFilter | None = None,
    exploration: float = 0.2,
) -> SampleDrawJob:
    """Queue an active-sampling draw of preference labels (see `sample_draw_active`). Raises
    PermissionDenied, and DomainError for a size or seed out of bounds, too few reviews to learn
    from, or a filter that matches no labels or more than active sampling embeds."""
    permission_require(actor, DRAW, action="draw review samples")
    numbers_check(ReviewSample, seed=seed)
    if not 1 <= n <= MAX_SAMPLE:
        raise DomainError(f"Sample size must be between 1 and {MAX_SAMPLE}.")
    where = where or LabelFilter()
    active_reviews_check(Review.objects.filter(sampled_label__kind=ACTIVE_KIND).count())
    candidates = label_queryset(ACTIVE_KIND, where).count()
    if not candidates:
        raise DomainError("No AI labels match this filter.")
    active_population_check(candidates)
    with transaction.atomic():
        job = SampleDrawJob.objects.create(
            name=name.strip() or "active sample",
            parameters={
                "n": n,
                "seed": seed,
                "exploration": exploration,
                "filter": where.as_dict(),
            },
            total_units=candidates,
            created_by=user_or_none(actor),
        )
        audit_record(
            actor=actor, action="sample.draw_queued", target=job, scope=f"sample-draw:{job.pk}",
            summary=f"Queued an active draw of {n} of {candidates} preference labels",
            payload=job.parameters,
        )  # fmt: skip
        _enqueue(job)
    return job


def sample_draw_job_run(*, job_id: int) -> SampleDrawJob | None:
    """Do a queued draw (the task's body): claim the job, draw with progress reports, record the
    sample. A refusal of the domain (reviews deleted since, a filter that grew) fails the job with
    its message; other errors go to the task, which retries or gives up. None when the job is
    not this worker's to do (finished, or a live worker holds it)."""

    def draw(job: SampleDrawJob, report: ProgressReport) -> dict:
        parameters = job.parameters
        sample = sample_draw_active(
            actor=job.created_by, name=job.name, n=parameters["n"], seed=parameters["seed"],
            where=LabelFilter.from_dict(parameters.get("filter", {})),
            exploration=parameters["exploration"], report=report,
        )  # fmt: skip
        return {"sample": sample}

    return job_do(SampleDrawJob, job_id, draw)


def sample_draw_job_give_up(job_id: int, error: str) -> None:
    """The task's failure hook: the draw failed for good."""
    job_fail(SampleDrawJob, job_id, error)


def sample_draw_job_retry(*, actor: AbstractBaseUser | None, job: SampleDrawJob) -> SampleDrawJob:
    """Queue a failed draw again. Raises PermissionDenied, and DomainError unless it failed."""
    permission_require(actor, DRAW, action="draw review samples")
    return job_retry_recorded(
        job, actor=actor, enqueue=_enqueue, action="sample.draw_retried",
        scope=f"sample-draw:{job.pk}", summary=f"Queued the active draw {job.name} again",
    )  # fmt: skip


def sample_draw_jobs_requeue_lost() -> int:
    """The workers' sweep for draws whose worker died (registered in apps.py)."""
    from cai_audit.work.jobs import jobs_requeue_lost

    from ..tasks import draw_sample

    return jobs_requeue_lost(SampleDrawJob, draw_sample)
