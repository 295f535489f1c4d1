"""A trained model's download, packed by a worker. When a training job ends done, a
ModelPackageJob is queued on the `training` queue (where the model files are): it packs the final
model and tokenizer, metrics.json and lineage.json into model.tar.gz beside them. A download
before that is done is refused with "still being packed" (409), never built inside the request."""

import json
import tarfile
from pathlib import Path

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from cai_audit import permissions
from cai_audit.errors import DomainError
from cai_audit.permissions import permission_require
from cai_audit.work.jobs import JobStatus, ProgressReport, job_do, job_fail, job_retry_recorded

from ..models import ModelPackageJob, TrainingJob

ARCHIVE = "model.tar.gz"


class ModelNotPacked(DomainError):
    """The trained model's archive is not there yet (or its packing failed)."""

    status_code = 409


def _enqueue(package: ModelPackageJob) -> None:
    from ..tasks import package_model

    package_model.delay_on_commit(package.pk)


def model_package_queue(*, job: TrainingJob) -> ModelPackageJob:
    """Queue the packing of a done job's model (called when the job ends done; once per job).
    Raises DomainError unless the job is done."""
    if job.status != TrainingJob.Status.DONE:
        raise DomainError(f"Only a done job's model is packed; this one is {job.status}.")
    with transaction.atomic():
        package, created = ModelPackageJob.objects.get_or_create(
            training_job=job, defaults={"created_by_id": job.created_by_id}
        )
        if created:
            _enqueue(package)
    return package


def model_package_request(*, actor: AbstractBaseUser | None, job: TrainingJob) -> ModelPackageJob:
    """Pack a done job's model: queue it if it never was (jobs from before packing was queued),
    or again when it failed. Raises PermissionDenied, and DomainError when the job is not done or
    its model is packed or being packed."""
    permission_require(actor, permissions.RUN_TRAINING, action="package trained models")
    package = ModelPackageJob.objects.filter(training_job=job).first()
    if package is None:
        return model_package_queue(job=job)
    if package.status != JobStatus.FAILED:
        raise DomainError(f"The model's package is {package.get_status_display().lower()}.")
    return job_retry_recorded(
        package, actor=actor, enqueue=_enqueue, action="training.package_retried", target=job,
        scope=f"snapshot:{job.snapshot_id}", summary=f"Packing {job.name}'s model again",
    )  # fmt: skip


def model_package_build(job: TrainingJob, report: ProgressReport | None = None) -> Path:
    """Write model.tar.gz of a done job: the final model folder, metrics.json and lineage.json
    (into a partial file, renamed when complete, so a download never sees half an archive).
    `report` hears how many bytes of the model are packed. Raises DomainError when the job left
    no model."""
    root = Path(job.output_dir)
    final = root / "final"
    if not final.is_dir():
        raise DomainError("The job left no trained model to pack (its final folder is missing).")
    lineage = root / "lineage.json"
    lineage.write_text(json.dumps(job.lineage, indent=2))
    total = sum(path.stat().st_size for path in final.rglob("*") if path.is_file())
    packed = 0

    def counted(member: tarfile.TarInfo) -> tarfile.TarInfo:
        nonlocal packed
        packed += member.size
        if report is not None and member.isfile():
            report(min(packed, total), total, "Packing the model")
        return member

    folder = f"job-{job.pk}-model"
    partial = root / f"{ARCHIVE}.partial"
    with tarfile.open(partial, "w:gz") as archive:
        archive.add(final, arcname=folder, filter=counted)
        archive.add(root / "metrics.json", arcname=f"{folder}/metrics.json")
        archive.add(lineage, arcname=f"{folder}/lineage.json")
    partial.rename(root / ARCHIVE)
    return root / ARCHIVE


def model_package_run(*, package_id: int) -> ModelPackageJob | None:
    """Pack (the task's body): claim the package job, build the archive with progress reports.
    None when it is not this worker's to do (finished, or a live worker holds it).

    A refusal (DomainError: no trained model to pack) marks the package failed and is not
    raised; other errors (a full disk) propagate, so the task retries or gives up."""

    def pack(package: ModelPackageJob, report: ProgressReport) -> dict:
        model_package_build(package.training_job, report)
        return {}

    return job_do(ModelPackageJob, package_id, pack)


def model_package_give_up(package_id: int, error: str) -> None:
    """The task's failure hook: packing failed for good."""
    job_fail(ModelPackageJob, package_id, error)


def model_archive(job: TrainingJob) -> Path:
    """The packed model of a job, or ModelNotPacked (409) saying why it is not there yet."""
    package = ModelPackageJob.objects.filter(training_job=job).first()
    path = Path(job.output_dir) / ARCHIVE
    if job.status != TrainingJob.Status.DONE:
        raise ModelNotPacked(f"There is no trained model yet: the job is {job.status}.")
    if package is None:
        raise ModelNotPacked("The trained model has not been packed: ask for its package.")
    if package.status == JobStatus.FAILED:
        raise ModelNotPacked(f"Packing the trained model failed ({package.error}): pack it again.")
    if package.status != JobStatus.DONE:
        raise ModelNotPacked(
            "The trained model is still being packed "
            f"({package.get_status_display().lower()}): try again in a moment."
        )
    if not path.exists():
        raise DomainError(f"{ARCHIVE} is missing from the job's folder.")
    return path


def model_packages_requeue_lost() -> int:
    """The workers' sweep for packing whose worker died (registered in apps.py)."""
    from cai_audit.work.jobs import jobs_requeue_lost

    from ..tasks import package_model

    return jobs_requeue_lost(ModelPackageJob, package_model)
