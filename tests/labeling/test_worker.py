"""A real Celery worker process on Redis: runs finish through the queue, and a worker killed
with SIGKILL mid-batch loses nothing and duplicates nothing once another worker runs."""

import signal

import pytest

from labeling.models import CritiqueLabel, LabelingRun, PreferenceLabel, RunBatch
from labeling.services.runs import run_create
from tests.conftest import wait_until

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


def test_a_run_finishes_through_a_real_worker(worker_env, published, pairs, tiny_critic, editor):
    worker_env("labeler")
    run = run_create(
        actor=editor, constitution_version=published, item_set=pairs, critic=tiny_critic,
        task="preference", selection="code", selection_value="HARM-01", batch_size=3,
    )  # fmt: skip
    wait_until(lambda: LabelingRun.objects.get(pk=run.pk).is_finished, 90, "the run did not finish")
    assert LabelingRun.objects.get(pk=run.pk).status == "done"
    assert PreferenceLabel.objects.filter(run=run).count() == 8


def test_a_worker_killed_mid_batch_loses_and_duplicates_nothing(
    worker_env, published, singles, tiny_critic, editor
):
    # One critique per model call, 48 tokens each: a batch takes seconds, long enough to kill.
    tiny_critic.batch_size, tiny_critic.max_new_tokens = 1, 48
    tiny_critic.save(update_fields=["batch_size", "max_new_tokens"])
    run = run_create(
        actor=editor, constitution_version=published, item_set=singles, critic=tiny_critic,
        task="critique", batch_size=9,  # 3 items x 3 principles: one batch
    )  # fmt: skip
    first = worker_env("doomed")
    wait_until(
        lambda: CritiqueLabel.objects.filter(run=run).count() >= 1, 90, "no label was written"
    )
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    written_before = CritiqueLabel.objects.filter(run=run).count()
    batch = RunBatch.objects.get(run=run)
    assert batch.status == "running" and 1 <= written_before < 9

    worker_env("rescuer")
    wait_until(
        lambda: LabelingRun.objects.get(pk=run.pk).is_finished, 120, "the run never finished"
    )
    batch.refresh_from_db()
    assert LabelingRun.objects.get(pk=run.pk).status == "done"
    assert batch.status == "done" and batch.attempts == 2
    labels = CritiqueLabel.objects.filter(run=run)
    assert labels.count() == 9
    assert len(set(labels.values_list("item_id", "principle_code"))) == 9
