"""A training job whose worker died is marked (a log line, one more worker lost) and queued again
to resume from its checkpoint, by the sweep every worker runs; one that keeps losing its worker
fails; people requeue stuck or failed jobs from the job page and the API."""

from datetime import timedelta

import psycopg
import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from cai_audit.errors import DomainError
from cai_audit.leases import WORKERS_LOST_LIMIT
from cai_audit.models import AuditEvent
from tests.conftest import logged_in
from tests.support.broker import broker_flush, queued_tasks
from training.models import DatasetSnapshot, TrainingJob
from training.services.jobs import LOCK_BASE
from training.services.recovery import job_requeue, jobs_requeue_lost

pytestmark = pytest.mark.django_db
TRAIN_JOB = "training.tasks.train_job"


@pytest.fixture
def broker():
    broker_flush()
    yield
    broker_flush()


@pytest.fixture
def job(db):
    snapshot = DatasetSnapshot.objects.create(
        name="toy", format="preference", label_kind="preference", policy="gold_overrides",
        sha256="0" * 64, folder="toy", data_file="data.jsonl",
    )  # fmt: skip
    return TrainingJob.objects.create(
        snapshot=snapshot, name="DPO on toy", method="dpo", base_model="default",
        total_steps=24, step=9, attempts=1,
    )  # fmt: skip


def worker_died(job: TrainingJob) -> None:
    """What a worker killed mid-training leaves: running, its last heartbeat ten minutes ago."""
    then = timezone.now() - timedelta(minutes=10)
    TrainingJob.objects.filter(pk=job.pk).update(
        status="running", started_at=then, heartbeat_at=then
    )


def test_a_job_whose_worker_died_is_marked_and_queued_to_resume(
    job, broker, django_capture_on_commit_callbacks
):
    worker_died(job)
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs_requeue_lost() == 1
    job.refresh_from_db()
    assert (job.status, job.workers_lost, job.heartbeat_at) == ("queued", 1, None)
    assert "Worker lost at step 9 of 24" in job.log and "resume" in job.log
    assert queued_tasks("training") == [(TRAIN_JOB, (job.pk,))]
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs_requeue_lost() == 0  # another worker's sweep: nothing left to do
    assert len(queued_tasks("training")) == 1


def test_a_job_that_keeps_losing_its_worker_fails_for_a_person_to_requeue(job):
    worker_died(job)
    TrainingJob.objects.filter(pk=job.pk).update(workers_lost=WORKERS_LOST_LIMIT - 1)
    jobs_requeue_lost()
    job.refresh_from_db()
    assert job.status == "failed" and job.finished_at is not None
    assert "lost 3 times" in job.error and "requeue it" in job.error


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_a_job_whose_advisory_lock_is_held_is_alive_even_with_a_stale_heartbeat(job):
    worker_died(job)
    db = connection.settings_dict
    dsn = f"host={db['HOST'] or '127.0.0.1'} port={db['PORT'] or 5432} user={db['USER']} "
    with psycopg.connect(dsn + f"dbname={db['NAME']}", autocommit=True) as trainer:
        trainer.execute("SELECT pg_advisory_lock(%s)", [LOCK_BASE + job.pk])
        assert jobs_requeue_lost() == 0
    assert TrainingJob.objects.get(pk=job.pk).status == "running"


def test_a_failed_job_is_requeued_to_resume_and_audited(
    job, researcher, broker, django_capture_on_commit_callbacks
):
    TrainingJob.objects.filter(pk=job.pk).update(
        status="failed", error="RuntimeError: CUDA out of memory", finished_at=timezone.now()
    )
    with django_capture_on_commit_callbacks(execute=True):
        job_requeue(actor=researcher, job=job)
    job.refresh_from_db()
    assert (job.status, job.error, job.finished_at) == ("queued", "", None)
    assert "Requeued by hand (it was failed)" in job.log
    assert queued_tasks("training") == [(TRAIN_JOB, (job.pk,))]
    assert AuditEvent.objects.filter(action="training.requeued", actor=researcher).exists()


def test_a_live_done_or_cancelled_job_is_not_requeued_and_reviewers_may_not(
    job, researcher, reviewer
):
    with pytest.raises(PermissionDenied):
        job_requeue(actor=reviewer, job=job)
    TrainingJob.objects.filter(pk=job.pk).update(status="running", heartbeat_at=timezone.now())
    with pytest.raises(DomainError, match="live worker is training"):
        job_requeue(actor=researcher, job=job)
    for status in ("done", "cancelled"):
        TrainingJob.objects.filter(pk=job.pk).update(status=status)
        with pytest.raises(DomainError, match=f"is {status}"):
            job_requeue(actor=researcher, job=job)


def test_a_stuck_job_is_requeued_from_its_page_and_the_api(
    job, researcher, broker, django_capture_on_commit_callbacks
):
    worker_died(job)
    TrainingJob.objects.filter(pk=job.pk).update(workers_lost=1)
    client = logged_in(researcher)
    page = client.get(reverse("training:job", args=[job.pk])).content.decode()
    assert 'data-testid="workers-lost"' in page and "worker lost 1 time" in page
    assert reverse("training:job_requeue", args=[job.pk]) in page
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(reverse("training:job_requeue", args=[job.pk]), follow=True)
    assert "resumes from its last checkpoint" in done.content.decode()
    assert TrainingJob.objects.get(pk=job.pk).workers_lost == 2

    worker_died(job)
    api = APIClient()
    api.force_authenticate(researcher)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"/api/training-jobs/{job.pk}/requeue/")
    assert response.status_code == 200 and response.json()["status"] == "queued"
    assert response.json()["workers_lost"] == 3
    assert queued_tasks("training") == [(TRAIN_JOB, (job.pk,))] * 2
    TrainingJob.objects.filter(pk=job.pk).update(status="done")
    refused = api.post(f"/api/training-jobs/{job.pk}/requeue/")
    assert refused.status_code == 400 and "is done" in refused.json()["detail"]


def test_the_training_task_is_not_retried_by_itself_but_has_a_failure_hook(job):
    from training.tasks import train_job

    assert train_job.acks_late is True and tuple(train_job.autoretry_for) == ()
    assert train_job.give_up is not None
    TrainingJob.objects.filter(pk=job.pk).update(status="running", base_model="/no/such/model")
    # Neither the model folder nor the snapshot's exists: training fails, and the job with it.
    assert train_job.apply(args=[job.pk]).failed()
    job.refresh_from_db()
    assert job.status == "failed" and job.error and job.finished_at is not None


def test_the_failure_hook_leaves_a_finished_job_as_it_was(job):
    from training.services.jobs import job_mark_failed

    TrainingJob.objects.filter(pk=job.pk).update(status="done")
    job_mark_failed(job_id=job.pk, error="RuntimeError: late")
    job.refresh_from_db()
    assert job.status == "done" and job.error == ""
    TrainingJob.objects.filter(pk=job.pk).update(status="queued")
    job_mark_failed(job_id=job.pk, error="RuntimeError: gave up")
    job.refresh_from_db()
    assert job.status == "failed" and job.error == "RuntimeError: gave up"
