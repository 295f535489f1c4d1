"""Snapshot exports and model packing are queued work: the request answers at once, a worker does
the work (exports on `default`, packing on `training`), a download before the model is packed is a
409 saying so, and failures show their error and can be retried."""

import json
import shutil
import tarfile

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from cai_audit.errors import DomainError
from labeling.filters import LabelFilter
from tests.conftest import logged_in, wait_until
from tests.support.broker import broker_flush, queued_tasks
from training.models import DatasetSnapshot, ModelPackageJob, SnapshotExportJob, TrainingJob
from training.services.exports import (
    snapshot_export_queue,
    snapshot_export_retry,
    snapshot_export_run,
)
from training.services.packages import model_package_queue, model_package_run

from .test_jobs import folders, toy_run  # noqa: F401


def test_an_export_goes_to_the_default_queue_and_reports_progress(
    db, published, researcher, django_capture_on_commit_callbacks
):
    toy_run(published, "preference", 8)
    broker_flush()
    with django_capture_on_commit_callbacks(execute=True):
        job = snapshot_export_queue(actor=researcher, name="p", fmt="preference",
                                    policy="gold_overrides")  # fmt: skip
    assert queued_tasks("default") == [("training.tasks.export_snapshot", (job.pk,))]
    assert queued_tasks("training") == []
    assert (job.status, job.total_units) == ("queued", 8)
    job = snapshot_export_run(job_id=job.pk)
    assert job.status == "done" and job.done_units == 8 and job.snapshot.rows == 8


def test_an_export_the_policy_empties_fails_with_its_message_and_can_be_retried(
    db, published, researcher
):
    toy_run(published, "preference", 8)
    with pytest.raises(DomainError, match="No labels match"):  # nothing matches: refused at once
        snapshot_export_queue(actor=researcher, name="x", fmt="preference",
                              policy="gold_overrides",
                              where=LabelFilter(principle_codes=("NO-1",)))  # fmt: skip
    job = snapshot_export_queue(
        actor=researcher, name="x", fmt="preference", policy="audited_only"
    )  # fmt: skip  (no gold labels yet)
    job = snapshot_export_run(job_id=job.pk)
    assert job.status == "failed" and "nothing to export" in job.error
    assert not DatasetSnapshot.objects.exists()
    page = logged_in(researcher).get(reverse("training:export", args=[job.pk])).content.decode()
    assert "nothing to export" in page and "Retry" in page and "hx-trigger" not in page
    index = logged_in(researcher).get(reverse("training:index")).content.decode()
    assert reverse("training:export", args=[job.pk]) in index  # findable from the index
    api = APIClient()
    api.force_authenticate(researcher)
    retried = api.post(f"/api/snapshot-exports/{job.pk}/retry/")
    assert retried.status_code == 202 and retried.json()["status"] == "queued"
    with pytest.raises(DomainError, match="Only a failed job"):
        snapshot_export_retry(actor=researcher, job=job)


@pytest.fixture
def trained(db, published, researcher, settings, tmp_path):
    """A done training job whose worker left a final model folder (no training needed)."""
    from training.services.snapshots import snapshot_create

    settings.SNAPSHOT_DIR, settings.TRAINING_DIR = tmp_path / "snapshots", tmp_path / "training"
    toy_run(published, "preference", 8)
    snapshot = snapshot_create(actor=researcher, name="p", fmt="preference",
                               policy="gold_overrides")  # fmt: skip
    output = tmp_path / "training" / "job-1"
    (output / "final").mkdir(parents=True)
    (output / "final" / "config.json").write_text('{"model_type": "llama"}')
    (output / "final" / "model.safetensors").write_bytes(b"\0" * 50_000)
    (output / "metrics.json").write_text('{"loss_history": [1.0]}')
    return TrainingJob.objects.create(
        snapshot=snapshot, name="dpo", method="dpo", base_model="default", status="done",
        output_dir=str(output), lineage={"snapshot": snapshot.pk}, created_by=researcher,
    )  # fmt: skip


def test_a_model_is_packed_on_the_training_queue_and_downloaded_only_when_packed(
    trained, researcher, django_capture_on_commit_callbacks
):
    api = APIClient()
    api.force_authenticate(researcher)
    url = f"/api/training-jobs/{trained.pk}/files/model.tar.gz/"
    never = api.get(url)
    assert never.status_code == 409 and "has not been packed" in never.json()["detail"]
    broker_flush()
    with django_capture_on_commit_callbacks(execute=True):
        package = model_package_queue(job=trained)
    assert queued_tasks("training") == [("training.tasks.package_model", (package.pk,))]
    assert model_package_queue(job=trained) == package  # once per job
    waiting = api.get(url)
    assert waiting.status_code == 409 and "still being packed" in waiting.json()["detail"]
    assert api.get(f"/api/training-jobs/{trained.pk}/").json()["package"]["status"] == "queued"
    package = model_package_run(package_id=package.pk)
    assert package.status == "done" and package.done_units == package.total_units == 50_023
    model = api.get(url)
    assert model.status_code == 200
    path = trained.output_dir + "/downloaded.tar.gz"
    with open(path, "wb") as out:
        out.write(b"".join(model.streaming_content))
    with tarfile.open(path) as archive:
        names = archive.getnames()
        lineage = json.load(archive.extractfile(f"job-{trained.pk}-model/lineage.json"))
    assert f"job-{trained.pk}-model/config.json" in names and lineage == trained.lineage


def test_a_failed_packing_shows_its_error_and_is_packed_again_on_request(trained, researcher):
    package = model_package_queue(job=trained)
    final = trained.output_dir + "/final"
    shutil.rmtree(final)
    package = model_package_run(package_id=package.pk)
    assert package.status == "failed" and "final folder is missing" in package.error
    client = logged_in(researcher)
    download = client.get(reverse("training:job_file", args=[trained.pk, "model.tar.gz"]))
    assert download.status_code == 409 and "failed" in download.content.decode()
    page = client.get(reverse("training:job", args=[trained.pk])).content.decode()
    assert "Pack again" in page and 'data-testid="package-status"' in page
    again = client.post(reverse("training:job_package_request", args=[trained.pk]))
    assert again.status_code == 302
    assert ModelPackageJob.objects.get().status == "queued"


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_on_the_default_queue_exports_a_snapshot(
    worker_env,
    published,
    researcher,
    folders,  # noqa: F811
):
    toy_run(published, "preference", 8)
    worker_env("exporter", queues="default")
    api = APIClient()
    api.force_authenticate(researcher)
    created = api.post(
        "/api/snapshots/", {"name": "api", "format": "preference", "policy": "gold_overrides"},
        format="json",
    )  # fmt: skip
    assert created.status_code == 202
    export = wait_until(
        lambda: (body := api.get(created["Location"]).json())["status"] == "done" and body,
        90, "The worker did not finish the export",
    )  # fmt: skip
    assert DatasetSnapshot.objects.get(pk=export["snapshot"]).rows == 8
    assert SnapshotExportJob.objects.get().attempts == 1
