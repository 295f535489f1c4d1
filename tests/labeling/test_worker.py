"""A real Celery worker process on Redis: runs finish through the queue, and a worker killed
with SIGKILL mid-batch loses nothing and duplicates nothing once another worker runs, with the
default visibility timeout too, and on the filesystem broker of `make run`."""

import signal
import time

import pytest
from kombu import Connection
from rest_framework.test import APIClient

from labeling.models import CritiqueLabel, LabelingRun, PreferenceLabel, RunBatch
from labeling.services.runs import run_create
from labeling.tasks import process_batch
from tests.conftest import wait_until
from tests.support.broker import broker_flush

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


# With the settings a deployment has: an unacknowledged message comes back only after an hour.
DEFAULT_VISIBILITY = {"CELERY_VISIBILITY_TIMEOUT": "3600", "CAI_WORKER_STALE_S": "4"}


def _slow_critique_run(published, singles, tiny_critic, editor) -> LabelingRun:
    """One batch of 9 critiques, one per model call: seconds of work, long enough to kill."""
    tiny_critic.batch_size, tiny_critic.max_new_tokens = 1, 48
    tiny_critic.save(update_fields=["batch_size", "max_new_tokens"])
    return run_create(
        actor=editor, constitution_version=published, item_set=singles, critic=tiny_critic,
        task="critique", batch_size=9,
    )  # fmt: skip


def _kill_mid_batch(worker, run) -> float:
    wait_until(
        lambda: CritiqueLabel.objects.filter(run=run).count() >= 1, 90, "no label was written"
    )
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=10)
    assert RunBatch.objects.get(run=run).status == "running"
    assert CritiqueLabel.objects.filter(run=run).count() < 9
    return time.monotonic()


def _assert_finished_once(run, killed_at: float) -> None:
    wait_until(lambda: RunBatch.objects.get(run=run).attempts == 2, 120, "never handed out again")
    took = time.monotonic() - killed_at  # the stale bound (4 s) and the rescuer's start
    wait_until(lambda: LabelingRun.objects.get(pk=run.pk).is_finished, 180, "never finished")
    batch = RunBatch.objects.get(run=run)
    assert LabelingRun.objects.get(pk=run.pk).status == "done"
    # Handed out again by the sweep (not by the broker: its message is gone, or an hour away).
    assert (batch.status, batch.attempts, batch.workers_lost) == ("done", 2, 1)
    labels = CritiqueLabel.objects.filter(run=run)
    assert labels.count() == 9
    assert len(set(labels.values_list("item_id", "principle_code"))) == 9
    assert took < 90, f"the batch was taken again {took:.0f} s after its worker died"


def test_a_killed_workers_batch_is_done_by_a_fresh_worker_on_redis_with_default_settings(
    worker_env, published, singles, tiny_critic, editor
):
    run = _slow_critique_run(published, singles, tiny_critic, editor)
    killed_at = _kill_mid_batch(worker_env("doomed", env=DEFAULT_VISIBILITY), run)
    worker_env("rescuer", env=DEFAULT_VISIBILITY)
    _assert_finished_once(run, killed_at)


def test_a_killed_workers_batch_is_done_by_a_fresh_worker_on_the_filesystem_broker(
    worker_env, published, singles, tiny_critic, editor, tmp_path
):
    """The embedded broker of `make run` deletes a message when it hands it out: without the
    heartbeat sweep a killed worker's batch would never come back."""
    var = tmp_path / "var"
    embedded = {"CELERY_BROKER_URL": "filesystem://", "CAI_VAR_DIR": str(var),
                "CAI_WORKER_STALE_S": "4"}  # fmt: skip
    run = _slow_critique_run(published, singles, tiny_critic, editor)  # queued on Redis: unread
    doomed = worker_env("doomed", env=embedded)
    folders = {"data_folder_in": var / "broker/queue", "data_folder_out": var / "broker/queue",
               "control_folder": var / "broker/control"}  # fmt: skip
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    options = {**{k: str(v) for k, v in folders.items()}, "store_processed": False}
    with Connection("filesystem://", transport_options=options) as connection:
        process_batch.apply_async((RunBatch.objects.get(run=run).pk,), connection=connection)
    killed_at = _kill_mid_batch(doomed, run)
    assert not list((var / "broker/queue").iterdir())  # the message is gone with the worker
    worker_env("rescuer", env=embedded)
    _assert_finished_once(run, killed_at)


def test_batches_whose_messages_were_lost_are_requeued_from_the_api(
    worker_env, published, pairs, tiny_critic, editor
):
    run = run_create(
        actor=editor, constitution_version=published, item_set=pairs, critic=tiny_critic,
        task="preference", selection="code", selection_value="HARM-01", batch_size=4,
    )  # fmt: skip
    broker_flush()  # the broker lost its messages (restarted without persistence, say)
    worker_env("labeler")
    api = APIClient()
    api.force_authenticate(editor)
    response = api.post(f"/api/runs/{run.pk}/requeue/")
    assert response.status_code == 200 and len(response.json()["requeued"]) == 2
    wait_until(lambda: LabelingRun.objects.get(pk=run.pk).is_finished, 180, "never finished")
    assert LabelingRun.objects.get(pk=run.pk).status == "done"
    assert PreferenceLabel.objects.filter(run=run).count() == 8
