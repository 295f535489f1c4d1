"""The senders outside the app: queued work that fails (runs, jobs, jobs whose worker is lost
for good) sends work_failed, and the daily reminder sends constitution_review_due for each
constitution past its review date; each is delivered once per run, job or due date."""

from datetime import timedelta

from django.conf import settings
from django.core import mail
from django.utils import timezone

from cai_audit.leases import WORKERS_LOST_LIMIT
from cai_audit.work.jobs import job_fail, jobs_requeue_lost
from cai_audit.work.runs import run_status_refresh
from constitutions.models import Constitution
from constitutions.review_reminders import constitution_reviews_due_alert
from constitutions.services import constitution_mark_reviewed
from constitutions.tasks import constitution_reviews_due
from labeling.models import CriticConfig, ItemSet, LabelingRun, RunBatch
from labeling.services.runs import WORK as LABELING_WORK
from notifications.models import Delivery
from reviews.models import SampleDrawJob
from reviews.tasks import draw_sample

from .conftest import deliver_pending, make_channel


def test_a_failed_job_is_mailed_once(editor, django_capture_on_commit_callbacks):
    make_channel(editor, target="ops@example.com")
    job = SampleDrawJob.objects.create(name="active", parameters={"n": 3}, status="running")
    with django_capture_on_commit_callbacks(execute=True):
        job_fail(SampleDrawJob, job.pk, "ValueError: no labels match the filter")
    with django_capture_on_commit_callbacks(execute=True):
        job_fail(SampleDrawJob, job.pk, "ValueError: again")  # the failure hook, later
    deliver_pending()
    [message] = mail.outbox
    assert message.subject == f"[CAI Audit] Sample draw job {job.pk} failed"
    assert "no labels match the filter" in message.body
    assert Delivery.objects.get().key == f"reviews.sampledrawjob:{job.pk}"


def test_a_job_done_or_cancelled_sends_nothing(editor, django_capture_on_commit_callbacks):
    make_channel(editor)
    job = SampleDrawJob.objects.create(name="active", status="done")
    with django_capture_on_commit_callbacks(execute=True):
        job_fail(SampleDrawJob, job.pk, "late failure hook")
    assert Delivery.objects.count() == 0


def test_a_job_whose_worker_is_lost_for_good_sends_the_alert(
    editor, django_capture_on_commit_callbacks
):
    make_channel(editor)
    long_ago = timezone.now() - timedelta(hours=1)
    job = SampleDrawJob.objects.create(
        name="active", status="running", heartbeat_at=long_ago,
        workers_lost=WORKERS_LOST_LIMIT - 1,
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs_requeue_lost(SampleDrawJob, draw_sample) == 1
    job.refresh_from_db()
    assert job.status == "failed"
    [delivery] = deliver_pending()
    assert delivery.subject == f"Sample draw job {job.pk} failed"
    assert "worker was lost" in delivery.body


def test_a_run_that_finishes_with_failed_batches_sends_the_alert_with_its_link(
    editor, published, django_capture_on_commit_callbacks
):
    make_channel(editor)
    run = LabelingRun.objects.create(
        constitution_version=published, item_set=ItemSet.objects.create(name="s", item_count=0),
        critic=CriticConfig.objects.create(name="c", backend="transformers", model="m"),
        task="critique", status="running",
    )  # fmt: skip
    RunBatch.objects.create(run=run, index=0, units=[], status="failed")
    RunBatch.objects.create(run=run, index=1, units=[], status="done")
    with django_capture_on_commit_callbacks(execute=True):
        run_status_refresh(work=LABELING_WORK, run_id=run.pk)
        run_status_refresh(work=LABELING_WORK, run_id=run.pk)  # a second batch finishing
    [delivery] = deliver_pending()
    assert delivery.key == f"labeling.labelingrun:{run.pk}"
    assert delivery.body == "1 of its batches failed."
    assert len(mail.outbox) == 1


def _backdate(constitution: Constitution, days: int) -> None:
    Constitution.objects.filter(pk=constitution.pk).update(
        created_at=timezone.now() - timedelta(days=days), last_reviewed_at=None
    )


def test_a_constitution_past_its_review_date_is_announced_once_per_due_date(
    editor, constitution, django_capture_on_commit_callbacks
):
    make_channel(editor, events=["constitution_review_due"])
    other = Constitution.objects.create(name="Fresh", review_cadence_days=90)
    _backdate(constitution, 100)  # 90-day cadence: due 10 days ago
    with django_capture_on_commit_callbacks(execute=True):
        assert constitution_reviews_due_alert() == [constitution.pk]
    with django_capture_on_commit_callbacks(execute=True):
        assert constitution_reviews_due() == 1  # the next day's beat run: nothing new
    deliveries = deliver_pending()
    assert [d.key.split(":")[1] for d in deliveries] == [str(constitution.pk)] != [str(other.pk)]
    [message] = mail.outbox
    assert message.subject.startswith("[CAI Audit] Test constitution is due for review")
    assert f"/constitutions/{constitution.pk}/" in message.body
    assert "Owners: editor." in message.body

    constitution_mark_reviewed(actor=editor, constitution=constitution)
    with django_capture_on_commit_callbacks(execute=True):
        assert constitution_reviews_due_alert() == []
        later = timezone.now() + timedelta(days=91)
        assert constitution_reviews_due_alert(now=later) == [constitution.pk, other.pk]
    deliver_pending()
    assert len(mail.outbox) == 3  # a new due date is a new alert (and Fresh is due by then)


def test_the_reminder_is_scheduled_daily_by_beat():
    entry = settings.CELERY_BEAT_SCHEDULE["constitutions-review-due"]
    assert entry["task"] == constitution_reviews_due.name
    assert entry["schedule"].hour == {7} and entry["schedule"].minute == {0}


def test_training_jobs_and_red_team_work_given_up_send_the_alert(
    editor, published, django_capture_on_commit_callbacks
):
    from redteam.models import Matchup
    from redteam.services.matchups import matchup_mark_failed
    from redteam.services.processing import run_mark_failed
    from tests.redteam.factories import make_judged_run
    from training.models import DatasetSnapshot, TrainingJob
    from training.services.jobs import job_mark_failed

    make_channel(editor)
    snapshot = DatasetSnapshot.objects.create(
        name="snap", format="preference", label_kind="preference", policy="gold_only",
        sha256="0" * 64, folder="snap", data_file="data.jsonl",
    )  # fmt: skip
    job = TrainingJob.objects.create(snapshot=snapshot, name="j", method="dpo", base_model="m")
    judged = make_judged_run(published, cases=2)
    matchup = Matchup.objects.create(run_x=judged, run_y=judged, judge=judged.judge)
    queued = judged
    queued.__class__.objects.filter(pk=queued.pk).update(status="queued")  # a run to prepare
    with django_capture_on_commit_callbacks(execute=True):
        job_mark_failed(job_id=job.pk, error="CUDA out of memory")
        matchup_mark_failed(matchup_id=matchup.pk, error="judge down")
        run_mark_failed(run_id=queued.pk, error="target model down")
    keys = sorted(delivery.key for delivery in deliver_pending())
    assert keys == sorted([
        f"training.trainingjob:{job.pk}", f"redteam.matchup:{matchup.pk}",
        f"redteam.run:{queued.pk}",
    ])  # fmt: skip
    assert len(mail.outbox) == 3
