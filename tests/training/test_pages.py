"""Snapshot and job pages and API: permissions, forms, downloads."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.conftest import logged_in
from training.models import DatasetSnapshot, SnapshotExportJob, TrainingJob
from training.services.exports import snapshot_export_run

from .test_jobs import folders, hyper, toy_run  # noqa: F401

pytestmark = pytest.mark.django_db


def test_a_researcher_exports_from_the_form_and_downloads_the_card(published, researcher):
    toy_run(published, "preference", 8)
    client = logged_in(researcher)
    assert client.get(reverse("training:snapshot_new")).status_code == 200
    response = client.post(
        reverse("training:snapshot_new"),
        {"name": "form", "fmt": "preference", "policy": "gold_overrides", "min_confidence": "0",
         "principle_codes": "HARM-01"},
    )  # fmt: skip
    # The request only queues the export: its page shows the progress bar, polling.
    export = SnapshotExportJob.objects.get()
    assert response.url == reverse("training:export", args=[export.pk])
    assert not DatasetSnapshot.objects.exists()
    waiting = client.get(response.url).content.decode()
    assert 'hx-trigger="every 2s"' in waiting and "Queued" in waiting
    snapshot_export_run(job_id=export.pk)  # what the worker does
    snapshot = DatasetSnapshot.objects.get()
    done = client.get(response.url, HTTP_HX_REQUEST="true")
    assert done.status_code == 286 and "hx-trigger" not in done.content.decode()
    assert done["HX-Redirect"] == reverse("training:snapshot", args=[snapshot.pk])
    page = client.get(done["HX-Redirect"]).content.decode()
    assert snapshot.sha256 in page and "Start training" in page
    card = client.get(reverse("training:snapshot_file", args=[snapshot.pk, "README.md"]))
    assert b"".join(card.streaming_content).decode().startswith("---\nconfigs:")
    missing = client.get(reverse("training:snapshot_file", args=[snapshot.pk, "settings.py"]))
    assert missing.status_code == 404
    bad = client.post(
        reverse("training:snapshot_new"),
        {"name": "x", "fmt": "preference", "policy": "gold_overrides", "principle_codes": "NO-1"},
    )  # fmt: skip
    assert bad.status_code == 200 and "No labels match" in bad.content.decode()


def test_reviewers_and_policy_editors_are_kept_out(published, reviewer, editor):
    for user in (reviewer, editor):
        client = logged_in(user)
        assert client.get(reverse("training:index")).status_code == 403
        api = APIClient()
        api.force_authenticate(user)
        assert api.get("/api/snapshots/").status_code == 403


def test_the_api_exports_starts_and_cancels_a_job(published, researcher, tiny_model_dir):
    toy_run(published, "preference", 8)
    api = APIClient()
    api.force_authenticate(researcher)
    created = api.post(
        "/api/snapshots/", {"name": "api", "format": "preference", "policy": "gold_overrides"},
        format="json",
    )  # fmt: skip
    # Queued: 202 and the export's status URL; the worker's part is run here.
    assert created.status_code == 202, created.json()
    assert created["Location"].endswith(f"/api/snapshot-exports/{created.json()['id']}/")
    assert created.json()["status"] == "queued" and created.json()["snapshot"] is None
    snapshot_export_run(job_id=created.json()["id"])
    export = api.get(created["Location"]).json()
    assert export["status"] == "done" and export["progress"]["finished"]
    snapshot = api.get(f"/api/snapshots/{export['snapshot']}/").json()
    assert snapshot["rows"] == 8 and "README.md" in snapshot["files"]
    data = api.get(f"/api/snapshots/{snapshot['id']}/files/data.jsonl/")
    assert len(b"".join(data.streaming_content).splitlines()) == 8
    wrong = api.post(
        "/api/training-jobs/", {"snapshot": snapshot["id"], "method": "sft"}, format="json"
    )
    assert wrong.status_code == 400 and "SFT needs" in wrong.json()["detail"]
    job = api.post(
        "/api/training-jobs/",
        {"snapshot": snapshot["id"], "method": "dpo", "base_model": str(tiny_model_dir),
         "hyperparameters": hyper(max_steps=3)},
        format="json",
    )  # fmt: skip
    assert job.status_code == 201, job.json()
    cancelled = api.post(f"/api/training-jobs/{job.json()['id']}/cancel/")
    assert cancelled.json()["status"] == "cancelled"
    assert TrainingJob.objects.get().cancel_requested


def test_the_job_page_polls_until_done(published, researcher, tiny_model_dir):
    toy_run(published, "preference", 8)
    from training.services.jobs import job_create, job_run
    from training.services.packages import model_package_run
    from training.services.snapshots import snapshot_create

    snapshot = snapshot_create(
        actor=researcher, name="p", fmt="preference", policy="gold_overrides"
    )
    job = job_create(
        actor=researcher, snapshot=snapshot, method="dpo", base_model=str(tiny_model_dir),
        hyperparameters=hyper(max_steps=2), enqueue=False,
    )  # fmt: skip
    client = logged_in(researcher)
    page = client.get(reverse("training:job", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in page and "Queued" in page
    job_run(job_id=job.pk)
    # The job's end queued the packing of its model: until a worker has packed it, a download
    # is a 409 saying so, never built inside the request.
    waiting = client.get(reverse("training:job_file", args=[job.pk, "model.tar.gz"]))
    assert waiting.status_code == 409 and "still being packed" in waiting.content.decode()
    model_package_run(package_id=job.package.pk)  # what the training worker does
    partial = client.get(reverse("training:job", args=[job.pk]), HTTP_HX_REQUEST="true")
    body = partial.content.decode()
    assert "<html" not in body and "hx-trigger" not in body and "Done" in body
    assert "model.tar.gz" in body
    model = client.get(reverse("training:job_file", args=[job.pk, "model.tar.gz"]))
    assert model.status_code == 200 and model["Content-Disposition"].startswith("attachment")
