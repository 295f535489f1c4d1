"""Training jobs end to end on CPU with the tiny random model: audited labels -> snapshot ->
job on the training queue -> trained model, including a worker killed mid-run, and cancel."""

import json
import signal
import tarfile
import threading

import pytest
from datasets import load_dataset
from django.core.exceptions import PermissionDenied
from django.db import connections

from cai_audit.errors import DomainError
from labeling.models import CritiqueLabel, Item, LabelingRun, PreferenceLabel
from labeling.services.processing import labels_save
from tests.conftest import wait_until
from tests.factories import (
    CriticConfigFactory,
    CritiqueLabelFactory,
    ItemFactory,
    ItemSetFactory,
    LabelingRunFactory,
    PreferenceLabelFactory,
)
from tests.labeling.conftest import model_cache_root  # noqa: F401
from training.engine.runner import latest_checkpoint
from training.models import TrainingJob
from training.services.jobs import job_artifact, job_cancel, job_create, job_run
from training.services.packages import model_package_run
from training.services.snapshots import snapshot_create, snapshot_path

from .conftest import CHOSEN_ANSWER, QUESTIONS, REJECTED_ANSWER

LN2 = 0.6931
COLUMNS = {
    "sft_messages": {"messages"},
    "sft_prompt_completion": {"prompt", "completion"},
    "preference": {"prompt", "chosen", "rejected"},
    "preference_plain": {"prompt", "chosen", "rejected"},
}


@pytest.fixture(autouse=True)
def folders(settings, tmp_path):
    settings.SNAPSHOT_DIR = tmp_path / "snapshots"
    settings.TRAINING_DIR = tmp_path / "training"


def toy_run(version, task: str, count: int = 32) -> LabelingRun:
    """AI labels on a learnable toy set: the safe answer is always A and always preferred."""
    item_set = ItemSetFactory(name=f"toy {task}", item_count=count)
    items = Item.objects.bulk_create(
        ItemFactory.build(
            item_set=item_set, line=n + 1, kind="pair" if task == "preference" else "single",
            prompt=[{"role": "user", "content": f"{QUESTIONS[n % len(QUESTIONS)]} (case {n})"}],
            response_a=CHOSEN_ANSWER if task == "preference" else REJECTED_ANSWER,
            response_b=REJECTED_ANSWER if task == "preference" else "",
        )
        for n in range(count)
    )  # fmt: skip
    critic = CriticConfigFactory(name="toy", model="toy")
    run = LabelingRunFactory(
        constitution_version=version, item_set=item_set, critic=critic, task=task,
        total_units=count,
    )  # fmt: skip
    common = {"run": run, "principle_code": "HARM-01", "principle_category": "", "model_id": "toy"}
    if task == "preference":
        labels = [
            PreferenceLabelFactory.build(item=item, p_a_first=0.9, p_a_second=0.9, **common)
            for item in items
        ]
        labels_save(PreferenceLabel, labels)
    else:
        labels = [
            CritiqueLabelFactory.build(
                item=item, critique="It gives harmful help.", revision=CHOSEN_ANSWER, **common
            )
            for item in items
        ]
        labels_save(CritiqueLabel, labels)
    return run


def hyper(**changes) -> dict:
    return {"max_steps": 20, "learning_rate": 1e-3, "per_device_batch_size": 4,
            "save_steps": 5, "eval_fraction": 0.25, "max_length": 64, **changes}  # fmt: skip


@pytest.mark.django_db
def test_a_dpo_job_from_a_snapshot_learns_and_leaves_a_model_with_its_lineage(
    published, researcher, tiny_model_dir
):
    toy_run(published, "preference")
    snapshot = snapshot_create(
        actor=researcher, name="toy", fmt="preference", policy="gold_overrides"
    )
    job = job_create(
        actor=researcher, snapshot=snapshot, method="dpo", base_model=str(tiny_model_dir),
        hyperparameters=hyper(), enqueue=False,
    )  # fmt: skip
    job = job_run(job_id=job.pk)
    assert job.status == "done", job.error
    losses = [loss for _, loss in job.losses]
    assert len(losses) == 20 and losses[0] == pytest.approx(LN2, abs=1e-3)
    assert sum(losses[-5:]) / 5 < 0.5 * losses[0]
    assert job.metrics["eval"]["accuracy"] >= 0.9 and job.step == job.total_steps == 20
    assert job.lineage["snapshot_sha256"] == snapshot.sha256
    assert job.lineage["constitution_versions"] == {str(published.pk): 32}
    model_package_run(package_id=job.package.pk)  # queued when the job ended done
    with tarfile.open(job_artifact(job, "model.tar.gz")) as archive:
        names = archive.getnames()
        lineage = json.load(archive.extractfile(f"job-{job.pk}-model/lineage.json"))
    assert f"job-{job.pk}-model/config.json" in names and lineage["snapshot"] == snapshot.pk
    assert json.loads(job_artifact(job, "metrics.json").read_text())["loss_history"]


@pytest.mark.django_db
def test_every_trainable_format_is_accepted_by_its_trainer(published, researcher, tiny_model_dir):
    toy_run(published, "preference", 16)
    toy_run(published, "critique", 16)
    for fmt, method in (
        ("sft_messages", "sft"), ("sft_prompt_completion", "sft"),
        ("preference_plain", "reward"), ("preference", "reward"), ("preference_plain", "dpo"),
    ):  # fmt: skip
        snapshot = snapshot_create(actor=researcher, name=fmt, fmt=fmt, policy="gold_overrides")
        rows = load_dataset(
            "json", data_files=str(snapshot_path(snapshot, snapshot.data_file)), split="train"
        )
        assert set(rows.column_names) == COLUMNS[fmt] and len(rows) == 16
        job = job_create(
            actor=researcher, snapshot=snapshot, method=method, base_model=str(tiny_model_dir),
            hyperparameters=hyper(max_steps=2, save_steps=10), enqueue=False,
        )  # fmt: skip
        job = job_run(job_id=job.pk)
        assert job.status == "done", (fmt, method, job.error)
        assert len(job.losses) == 2


@pytest.mark.django_db
def test_bad_jobs_are_refused(published, researcher, reviewer, tiny_model_dir):
    toy_run(published, "preference", 8)
    snapshot = snapshot_create(
        actor=researcher, name="p", fmt="preference", policy="gold_overrides"
    )
    with pytest.raises(DomainError, match="SFT needs"):
        job_create(actor=researcher, snapshot=snapshot, method="sft", enqueue=False)
    with pytest.raises(DomainError, match="No model folder"):
        job_create(actor=researcher, snapshot=snapshot, method="dpo", base_model="/nope")
    with pytest.raises(DomainError, match="Bad training settings"):
        job_create(
            actor=researcher, snapshot=snapshot, method="dpo", base_model=str(tiny_model_dir),
            hyperparameters={"max_steps": 0},
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        job_create(actor=reviewer, snapshot=snapshot, method="dpo")
    assert not TrainingJob.objects.exists()


@pytest.mark.django_db
def test_the_shipped_model_is_the_default_base(
    published,
    researcher,
    settings,
    model_cache_root,  # noqa: F811
):
    settings.MODEL_CACHE_DIR = model_cache_root
    toy_run(published, "preference", 8)
    snapshot = snapshot_create(
        actor=researcher, name="p", fmt="preference", policy="gold_overrides"
    )
    job = job_create(
        actor=researcher, snapshot=snapshot, method="dpo", hyperparameters={"max_steps": 3},
        enqueue=False,
    )  # fmt: skip
    assert job.base_model == "default" and job.total_steps == 3
    assert job.hyperparameters["learning_rate"] == 5e-6  # DPO's default


@pytest.mark.django_db(transaction=True)
def test_cancel_stops_a_running_job(published, researcher, tiny_model_dir):
    toy_run(published, "preference")
    snapshot = snapshot_create(
        actor=researcher, name="toy", fmt="preference", policy="gold_overrides"
    )
    job = job_create(
        actor=researcher, snapshot=snapshot, method="dpo", base_model=str(tiny_model_dir),
        hyperparameters=hyper(max_steps=400), enqueue=False,
    )  # fmt: skip

    def run() -> None:
        try:
            job_run(job_id=job.pk)
        finally:
            connections.close_all()

    runner = threading.Thread(target=run)
    runner.start()
    wait_until(lambda: TrainingJob.objects.get(pk=job.pk).step >= 2, 120, "the job never ran")
    job_cancel(actor=researcher, job=job)
    runner.join(timeout=60)
    job.refresh_from_db()
    assert job.status == "cancelled" and 2 <= job.step < 400
    with pytest.raises(DomainError, match="already cancelled"):
        job_cancel(actor=researcher, job=job)


@pytest.mark.django_db(transaction=True)
def test_a_job_whose_worker_is_killed_is_marked_and_resumes_from_its_checkpoint(
    worker_env, published, researcher, tiny_model_dir
):
    toy_run(published, "preference")
    snapshot = snapshot_create(
        actor=researcher, name="toy", fmt="preference", policy="gold_overrides"
    )
    job = job_create(
        actor=researcher, snapshot=snapshot, method="dpo", base_model=str(tiny_model_dir),
        hyperparameters=hyper(max_steps=24, save_steps=4),
    )  # fmt: skip
    # The default visibility timeout: the killed worker's message is an hour away, so it is the
    # heartbeat sweep that notices the dead worker, marks the job and queues it again.
    deployed = {"CELERY_VISIBILITY_TIMEOUT": "3600", "CAI_WORKER_STALE_S": "4"}
    doomed = worker_env("doomed", queues="training", env=deployed)
    wait_until(
        lambda: (checkpoint := latest_checkpoint(job.output_dir)) and not checkpoint.endswith("-4")
        or TrainingJob.objects.get(pk=job.pk).step >= 10,
        180, "the job never reached a checkpoint",
    )  # fmt: skip
    doomed.send_signal(signal.SIGKILL)
    doomed.wait(timeout=10)
    killed_at = TrainingJob.objects.get(pk=job.pk)
    assert killed_at.status == "running" and killed_at.step < 24
    saved = latest_checkpoint(job.output_dir)
    assert saved is not None

    worker_env("rescuer", queues="training", env=deployed)
    wait_until(lambda: TrainingJob.objects.get(pk=job.pk).is_finished, 240, "never finished")
    job.refresh_from_db()
    assert job.status == "done", job.error
    assert job.attempts == 2 and job.step == 24
    assert job.workers_lost == 1 and "Worker lost at step" in job.log
    assert job.lineage["resumed_from"].rsplit("-", 1)[1] >= saved.rsplit("-", 1)[1]
    resumed_step = int(job.lineage["resumed_from"].rsplit("-", 1)[1])
    assert resumed_step >= 4 and job.losses[-1][0] == 24
