"""Training jobs: SFT, reward model or DPO on a snapshot, run on the `training` queue.

A job is one Celery task. It holds a PostgreSQL advisory lock on its id while it trains, so a
message redelivered while the first worker is alive is dropped, and one redelivered after that
worker died (the lock goes with its connection) resumes from the last checkpoint. Progress,
losses and logs are written to the job row as the trainer logs them; a cancel request is read
back every few seconds and stops the trainer at the next step.
"""

import json
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.db.models.functions import Now
from django.utils import timezone

from cai_audit import permissions
from cai_audit.audit import audit_record
from cai_audit.errors import DomainError
from cai_audit.leases import heartbeat, lease_fresh
from cai_audit.permissions import permission_require
from cai_audit.roles import user_or_none
from cai_audit.version import code_version
from cai_audit.work.alerts import work_failed_alert

from ..models import DatasetSnapshot, TrainingJob
from .snapshots import snapshot_path

METHOD_FORMATS = {
    "sft": ("sft_messages", "sft_prompt_completion"),
    "reward": ("preference", "preference_plain"),
    "dpo": ("preference", "preference_plain"),
}
Status = TrainingJob.Status
LOG_KEEP = 20_000  # characters of log kept on the job row
WRITE_EVERY_S = 1.0


def _config_dict(job: TrainingJob, base_model: str) -> dict:
    return {
        **job.hyperparameters,
        "method": job.method,
        "base_model": base_model,
        "dataset_path": str(snapshot_path(job.snapshot, job.snapshot.data_file)),
        "output_dir": job.output_dir,
    }


def job_create(
    *,
    actor: AbstractBaseUser | None,
    snapshot: DatasetSnapshot,
    method: str,
    base_model: str = "default",
    name: str = "",
    hyperparameters: dict | None = None,
    enqueue: bool = True,
) -> TrainingJob:
    """Queue a training job; the hyperparameters are checked now, not on the worker.
    `enqueue=False` leaves it to the caller to `job_run` it (training in this process).

    Raises PermissionDenied without the permission to train; DomainError for an unknown method,
    a snapshot of the wrong format, a missing base model folder or bad hyperparameters."""
    from ..engine.config import TrainConfig
    from ..tasks import train_job

    permission_require(actor, permissions.RUN_TRAINING, action="start training jobs")
    if method not in METHOD_FORMATS:
        raise DomainError(f"Unknown training method {method!r}.")
    if snapshot.format not in METHOD_FORMATS[method]:
        wanted = " or ".join(METHOD_FORMATS[method])
        raise DomainError(f"{method.upper()} needs a {wanted} snapshot, not {snapshot.format}.")
    base_model = (base_model or "default").strip()
    if base_model != "default" and not Path(base_model).is_dir():
        raise DomainError(f"No model folder at {base_model} (or use the default model).")
    hyperparameters = dict(hyperparameters or {})
    job = TrainingJob(
        snapshot=snapshot,
        name=name.strip() or f"{method.upper()} on {snapshot.name}",
        method=method,
        base_model=base_model,
        hyperparameters=hyperparameters,
        created_by=user_or_none(actor),
        output_dir=str(Path(settings.TRAINING_DIR) / "pending"),
    )
    try:
        config = TrainConfig.from_dict(_config_dict(job, _base_model_dir(base_model)))
        config.validate()
    except (TypeError, ValueError) as error:
        raise DomainError(f"Bad training settings: {error}") from None
    job.total_steps = config.max_steps
    job.hyperparameters = {
        k: v for k, v in config.as_dict().items()
        if k not in ("method", "base_model", "dataset_path", "output_dir")
    }  # fmt: skip
    job.lineage = {
        "snapshot": snapshot.pk,
        "snapshot_sha256": snapshot.sha256,
        "snapshot_format": snapshot.format,
        "label_policy": snapshot.policy,
        "constitution_versions": snapshot.stats.get("constitution_versions", {}),
        "principles": sorted(snapshot.stats.get("principles", {})),
        "code_version": code_version(),
        "base_model": base_model,
    }
    with transaction.atomic():
        job.save()
        job.output_dir = str(Path(settings.TRAINING_DIR) / f"job-{job.pk:06d}")
        job.save(update_fields=["output_dir"])
        audit_record(
            actor=actor, action="training.queued", target=job, scope=f"snapshot:{snapshot.pk}",
            summary=f"Queued {job.name}", payload={"hyperparameters": job.hyperparameters},
        )  # fmt: skip
        if enqueue:
            train_job.delay_on_commit(job.pk)
    return job


def job_cancel(*, actor: AbstractBaseUser | None, job: TrainingJob) -> TrainingJob:
    """Cancel a queued job at once, or ask a running one to stop at its next step. Raises
    PermissionDenied without run_training, DomainError when the job has finished."""
    permission_require(actor, permissions.RUN_TRAINING, action="cancel training jobs")
    with transaction.atomic():
        job = TrainingJob.objects.select_for_update().get(pk=job.pk)
        if job.is_finished:
            raise DomainError(f"The job is already {job.status}.")
        job.cancel_requested = True
        fields = ["cancel_requested"]
        if job.status == TrainingJob.Status.QUEUED:
            job.status, job.finished_at = TrainingJob.Status.CANCELLED, timezone.now()
            fields += ["status", "finished_at"]
        job.save(update_fields=fields)
        audit_record(
            actor=actor, action="training.cancelled", target=job,
            scope=f"snapshot:{job.snapshot_id}", summary=f"Cancel requested for {job.name}",
        )  # fmt: skip
    return job


LOCK_BASE = 0x7A1A_0000  # advisory lock key of job N: LOCK_BASE + N


@contextmanager
def _exclusive(job_id: int):
    """True while this process alone trains the job (PostgreSQL advisory lock; on SQLite the
    job's heartbeat tells whether a live worker has it)."""
    if connection.vendor != "postgresql":
        yield True
        return
    key = LOCK_BASE + job_id
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        acquired = cursor.fetchone()[0]
    try:
        yield acquired
    finally:
        if acquired:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])


class _Progress:
    """Writes the trainer's progress to the job row (at most once a second, and always at the
    end) and answers whether a cancel was requested."""

    def __init__(self, job: TrainingJob):
        self.job = job
        self.written = self.checked = 0.0
        self.cancel = False

    def __call__(self, event) -> None:
        job = self.job
        job.step = min(event.step, job.total_steps or event.step)
        job.total_steps = max(job.total_steps, event.total_steps)
        job.eta_s = event.eta_s
        if event.loss is not None and (not job.losses or job.losses[-1][0] != event.step):
            job.losses.append([event.step, event.loss])
        if event.metrics:
            job.metrics = {**job.metrics, **{k: v for k, v in event.metrics.items()}}
        if event.log_line:
            job.log = (job.log + event.log_line + "\n")[-LOG_KEEP:]
        if time.monotonic() - self.written >= WRITE_EVERY_S:
            self.flush()

    def flush(self) -> None:
        self.written = time.monotonic()
        self.job.save(update_fields=["step", "total_steps", "eta_s", "losses", "metrics", "log"])

    def should_stop(self) -> bool:
        if time.monotonic() - self.checked >= WRITE_EVERY_S:
            self.checked = time.monotonic()
            self.cancel = TrainingJob.objects.filter(pk=self.job.pk, cancel_requested=True).exists()
        return self.cancel


def _base_model_dir(base_model: str) -> str:
    """A model folder; "default" is the shipped SmolLM2, prepared once into the model cache."""
    if base_model != "default":
        return base_model
    from labeling.engine.default_model import default_model_dir

    return str(default_model_dir(Path(settings.MODEL_CACHE_DIR)))


def job_run(*, job_id: int) -> TrainingJob:
    """Train (or resume) the job. Called by the training task and the `train` command. While it
    trains, a thread keeps the job's heartbeat fresh, so the workers' sweep can tell a job whose
    worker died (cai_audit/leases.py).

    A trainer error marks the job failed (with the error) and is raised again, so the task's
    failure hook and the command see it."""
    running = TrainingJob.Status.RUNNING
    with _exclusive(job_id) as mine:
        job = (
            TrainingJob.objects.select_related("snapshot")
            .annotate(held=ExpressionWrapper(lease_fresh(), output_field=BooleanField()))
            .get(pk=job_id)
        )
        if not mine or job.is_finished:
            return job  # another worker has it, or it is over
        if connection.vendor != "postgresql" and job.status == running and job.held:
            return job  # no advisory lock here: the fresh heartbeat says a live worker has it
        if job.cancel_requested:
            job.status, job.finished_at = TrainingJob.Status.CANCELLED, timezone.now()
            job.save(update_fields=["status", "finished_at"])
            return job
        job.status, job.attempts, job.error = running, job.attempts + 1, ""
        job.started_at = job.started_at or timezone.now()
        job.save(update_fields=["status", "attempts", "error", "started_at"])
        TrainingJob.objects.filter(pk=job.pk).update(heartbeat_at=Now())
        progress = _Progress(job)
        try:
            with heartbeat(TrainingJob, job.pk, holding=Q(status=running)):
                result = _train(job, progress)
        except Exception as error:
            progress.flush()
            job.status, job.finished_at = TrainingJob.Status.FAILED, timezone.now()
            job.error = f"{type(error).__name__}: {error}"
            job.save(update_fields=["status", "finished_at", "error"])
            work_failed_alert(TrainingJob, job.pk, job.error)
            raise
        progress.flush()
        job.device = result["device"]
        job.metrics = {**job.metrics, **result["metrics"]}
        job.lineage = {**job.lineage, "final_dir": result["final_dir"],
                       "resumed_from": result["resumed_from"]}  # fmt: skip
        job.status = TrainingJob.Status.CANCELLED if result["stopped"] else TrainingJob.Status.DONE
        job.finished_at = timezone.now()
        job.save(update_fields=["device", "metrics", "lineage", "status", "finished_at"])
        if job.status == TrainingJob.Status.DONE:
            from .packages import model_package_queue

            model_package_queue(job=job)  # the download, packed by a worker
        return job


def job_mark_failed(*, job_id: int, error: str) -> None:
    """The training task's failure hook: a job that is not over yet is failed (job_run has
    usually done so already, with the trainer's error). Raises nothing of its own."""
    failed = TrainingJob.objects.filter(
        pk=job_id, status__in=[Status.QUEUED, Status.RUNNING]
    ).update(status=Status.FAILED, error=error, finished_at=timezone.now(), heartbeat_at=None)
    if failed:
        work_failed_alert(TrainingJob, job_id, error)


def _train(job: TrainingJob, progress: _Progress) -> dict:
    from ..engine.config import TrainConfig
    from ..engine.devices import gpu_count

    config = TrainConfig.from_dict(_config_dict(job, _base_model_dir(job.base_model)))
    config.validate()
    if gpu_count() > 1:
        return _train_multi_gpu(job, config, progress)
    from ..engine.runner import train

    result = train(config, on_progress=progress, should_stop=progress.should_stop, resume=True)
    return {
        "device": str(result.device),
        "metrics": result.metrics,
        "final_dir": str(result.final_dir),
        "resumed_from": result.resumed_from,
        "stopped": result.stopped,
    }


def _train_multi_gpu(job: TrainingJob, config, progress: _Progress) -> dict:
    """Several GPUs: `accelerate launch` the engine's CLI and relay its JSON-lines progress."""
    from ..engine.devices import multi_gpu_command
    from ..engine.progress import ProgressEvent

    Path(config.output_dir).mkdir(parents=True, exist_ok=True)
    config_path = Path(config.output_dir) / "job-config.json"
    config_path.write_text(json.dumps(config.as_dict()))
    process = subprocess.Popen(  # noqa: S603 (our own command line)
        multi_gpu_command(str(config_path)), stdout=subprocess.PIPE, text=True,
        cwd=Path(settings.BASE_DIR),
    )  # fmt: skip
    final: dict = {}
    for line in process.stdout:
        try:
            payload = json.loads(line)
        except json.JSONDecodeError:
            continue
        if payload.get("event") == "progress":
            progress(ProgressEvent(**payload["progress"]))
            if progress.should_stop():
                process.terminate()
        elif payload.get("event") == "result":
            final = payload["result"]
    if process.wait() != 0 and not final:
        raise RuntimeError(f"accelerate launch exited with {process.returncode}")
    return final or {"device": "cuda", "metrics": {}, "final_dir": "", "resumed_from": None,
                     "stopped": True}  # fmt: skip


def job_artifact(job: TrainingJob, name: str) -> Path:
    """A downloadable file of a finished job: metrics.json, or the trained model as a tar.gz,
    which a worker packs when the job ends (services/packages.py): until it has, ModelNotPacked
    (409) says so. Raises DomainError for any other name or a file not there yet."""
    from .packages import ARCHIVE, model_archive

    if not job.output_dir:
        raise DomainError("This job has no output yet.")
    if name == ARCHIVE:
        return model_archive(job)
    if name != "metrics.json":
        raise DomainError(f"A job has no file {name!r}.")
    path = Path(job.output_dir) / "metrics.json"
    if not path.exists():
        raise DomainError(f"{name} is not there yet: the job is {job.status}.")
    return path
