"""Snapshot exports, queued. The request checks the format, policy and filter and that some
labels match, and records a SnapshotExportJob; a worker on the `default` queue exports
(`snapshot_create`), reporting how many labels it has read, and links the snapshot it made."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from cai_audit.audit import audit_record
from cai_audit.errors import DomainError
from cai_audit.permissions import permission_require
from cai_audit.roles import user_or_none
from cai_audit.work.jobs import ProgressReport, job_do, job_fail, job_retry_recorded
from labeling.filters import LabelFilter

from ..models import SnapshotExportJob
from .snapshots import EXPORT, snapshot_create, snapshot_request_check


def _labels_matching(kind: str, where: LabelFilter) -> int:
    """How many AI labels of `kind` the filter matches (the export's progress total)."""
    from reviews.population import label_queryset

    return label_queryset(kind, where).count()


def _enqueue(job: SnapshotExportJob) -> None:
    from ..tasks import export_snapshot

    export_snapshot.delay_on_commit(job.pk)


def snapshot_export_queue(
    *,
    actor: AbstractBaseUser | None,
    name: str,
    fmt: str,
    policy: str,
    where: LabelFilter | None = None,
    min_confidence: float = 0.0,
    label_kind: str = "",
) -> SnapshotExportJob:
    """Queue the export of the labels matching `where` as a new snapshot (see
    `snapshot_create`). Raises PermissionDenied, and DomainError for a format, policy or
    confidence it cannot use, or a filter that matches no labels."""
    permission_require(actor, EXPORT, action="export datasets")
    kind = snapshot_request_check(
        fmt=fmt, policy=policy, label_kind=label_kind, min_confidence=min_confidence
    )
    where = where or LabelFilter()
    labels = _labels_matching(kind, where)
    if not labels:
        raise DomainError("No labels match this filter and policy: nothing to export.")
    with transaction.atomic():
        job = SnapshotExportJob.objects.create(
            name=name.strip() or f"{fmt} snapshot", format=fmt, label_kind=kind, policy=policy,
            min_confidence=min_confidence, filters=where.as_dict(), total_units=labels,
            created_by=user_or_none(actor),
        )  # fmt: skip
        audit_record(
            actor=actor, action="snapshot.queued", target=job, scope=f"snapshot-export:{job.pk}",
            summary=f"Queued the export of {labels} {kind} labels as {fmt} ({policy})",
            payload={"filters": job.filters},
        )  # fmt: skip
        _enqueue(job)
    return job


def snapshot_export_run(*, job_id: int) -> SnapshotExportJob | None:
    """Do a queued export (the task's body): claim the job, export with progress reports, link
    the snapshot. A refusal of the domain (the policy keeps no label) fails the job with its
    message; other errors go to the task, which retries or gives up. None when the job is not
    this worker's to do (finished, or a live worker holds it)."""

    def export(job: SnapshotExportJob, report: ProgressReport) -> dict:
        snapshot = snapshot_create(
            actor=job.created_by, name=job.name, fmt=job.format, policy=job.policy,
            where=LabelFilter.from_dict(job.filters), min_confidence=job.min_confidence,
            label_kind=job.label_kind,
            report=lambda done, _total, stage: report(done, job.total_units, stage),
        )  # fmt: skip
        return {"snapshot": snapshot}

    return job_do(SnapshotExportJob, job_id, export)


def snapshot_export_give_up(job_id: int, error: str) -> None:
    """The task's failure hook: the export failed for good."""
    job_fail(SnapshotExportJob, job_id, error)


def snapshot_export_retry(
    *, actor: AbstractBaseUser | None, job: SnapshotExportJob
) -> SnapshotExportJob:
    """Queue a failed export again. Raises PermissionDenied, and DomainError unless it failed."""
    permission_require(actor, EXPORT, action="export datasets")
    return job_retry_recorded(
        job, actor=actor, enqueue=_enqueue, action="snapshot.retried",
        scope=f"snapshot-export:{job.pk}", summary=f"Queued the export {job.name} again",
    )  # fmt: skip


def snapshot_exports_requeue_lost() -> int:
    """The workers' sweep for exports whose worker died (registered in apps.py)."""
    from cai_audit.work.jobs import jobs_requeue_lost

    from ..tasks import export_snapshot

    return jobs_requeue_lost(SnapshotExportJob, export_snapshot)
