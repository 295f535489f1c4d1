import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.test import Client

from cai_audit.roles import POLICY_EDITOR, RESEARCHER, REVIEWER
from constitutions import services
from tests.factories import UserFactory, principle_fields


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (dashboard results are cached per process)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Users are made in most tests; the production hasher takes ~0.4 s a password."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def editor(db):
    return UserFactory(username="editor", roles=[POLICY_EDITOR])


@pytest.fixture
def second_editor(db):
    return UserFactory(username="editor2", roles=[POLICY_EDITOR])


@pytest.fixture
def reviewer(db):
    return UserFactory(username="reviewer", roles=[REVIEWER])


@pytest.fixture
def researcher(db):
    return UserFactory(username="researcher", roles=[RESEARCHER])


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def editor_client(editor):
    return logged_in(editor)


@pytest.fixture
def reviewer_client(reviewer):
    return logged_in(reviewer)


@pytest.fixture
def constitution(editor):
    return services.constitution_create(actor=editor, name="Test constitution", owners=[editor])


@pytest.fixture
def draft(constitution, editor):
    """Draft v1 with HARM-01, HARM-02 (+ de-DE addendum) and HON-01."""
    version = constitution.versions.get(number=1)
    services.principle_create(actor=editor, version=version, **principle_fields("HARM-01"))
    services.principle_create(actor=editor, version=version, **principle_fields("HARM-02"))
    services.principle_create(
        actor=editor, version=version, **principle_fields("HARM-02", locale="de-DE")
    )
    services.principle_create(
        actor=editor, version=version, **principle_fields("HON-01", category="honesty")
    )
    return version


@pytest.fixture
def published(draft, editor):
    return services.version_publish(actor=editor, version=draft, changelog="First version")


PROJECT_ROOT = Path(__file__).resolve().parents[1]


def wait_until(predicate, timeout: float, message: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(message)


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
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    base = {
        **os.environ,
        # The worker must see the test database, where the test writes its (committed) rows.
        "DATABASE_URL": f"postgres://{db['USER']}@{host}:{port}/{db['NAME']}",
        "CELERY_BROKER_URL": broker,
        # Short, so that the message of a killed worker comes back within the test, and a dead
        # worker's heartbeat goes stale within seconds (tests may pass their own `env`).
        "CELERY_VISIBILITY_TIMEOUT": "4",
        "CAI_WORKER_STALE_S": "6",
        "CAI_MODEL_CACHE": str(settings.MODEL_CACHE_DIR),
    }
    workers: list[subprocess.Popen] = []

    def start(name: str, queues: str = "labeling", env: dict | None = None) -> subprocess.Popen:
        # Where this test keeps snapshots and training output (settings may point at tmp dirs).
        base["CAI_SNAPSHOT_DIR"] = str(settings.SNAPSHOT_DIR)
        base["CAI_TRAINING_DIR"] = str(settings.TRAINING_DIR)
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "cai_audit", "worker", "--pool=solo",
             "-Q", queues, "-n", f"{name}@%h", "--without-gossip", "--without-mingle",
             "--loglevel=INFO"],
            cwd=PROJECT_ROOT, env={**base, **(env or {})}, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        workers.append(process)
        return process

    yield start
    for process in workers:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)
