"""A real Celery worker process on Redis: runs finish through the queue, and a worker killed
with SIGKILL mid-batch loses nothing and duplicates nothing once another worker runs."""

import os
import signal
import subprocess
import sys
import time

import pytest
import redis
from django.conf import settings
from django.db import connection

from labeling.models import CritiqueLabel, LabelingRun, PreferenceLabel, RunBatch
from labeling.services.runs import run_create
from tests.labeling.conftest import PROJECT_ROOT

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


def _broker_url() -> str:
    url = settings.CELERY_BROKER_URL
    if not url.startswith("redis://"):
        pytest.fail("Worker tests need Redis: run them with `make test` (CELERY_BROKER_URL).")
    return url


@pytest.fixture
def worker_env():
    broker = _broker_url()
    redis.Redis.from_url(broker).flushdb()  # no stale messages from other tests
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "CELERY_BROKER_URL": broker,
        # Short, so that the message of a killed worker comes back within the test.
        "CELERY_VISIBILITY_TIMEOUT": "4",
        "CAI_MODEL_CACHE": str(settings.MODEL_CACHE_DIR),
    }
    workers: list[subprocess.Popen] = []

    def start(name: str) -> subprocess.Popen:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "cai_audit", "worker", "--pool=solo",
             "-Q", "labeling", "-n", f"{name}@%h", "--without-gossip", "--without-mingle",
             "--loglevel=INFO"],
            cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        workers.append(process)
        return process

    yield start
    for process in workers:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)


def wait_until(predicate, timeout: float, message: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(message)


def test_a_run_finishes_through_a_real_worker(worker_env, published, pairs, tiny_critic, editor):
    worker_env("labeler")
    run = run_create(
        actor=editor, constitution_version=published, item_set=pairs, critic=tiny_critic,
        task="preference", selection="code", selection_value="HARM-01", batch_size=3,
    )  # fmt: skip
    wait_until(
        lambda: LabelingRun.objects.get(pk=run.pk).is_finished, 90, "the run did not finish"
    )
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
