"""Reading the messages waiting on the tests' Redis broker: which tasks were queued, with which
arguments (the real broker, as a worker would read it)."""

import base64
import json

import pytest
import redis
from django.conf import settings


def _client() -> redis.Redis:
    url = settings.CELERY_BROKER_URL
    if not url.startswith("redis://"):
        pytest.fail("These tests read the Redis broker: run them with CELERY_BROKER_URL=redis://")
    return redis.Redis.from_url(url)


def broker_flush() -> None:
    _client().flushdb()


def queued_tasks(queue: str) -> list[tuple[str, tuple]]:
    """(task name, args) of every message waiting on `queue`, oldest first."""
    found = []
    for raw in reversed(_client().lrange(queue, 0, -1)):  # LPUSHed: newest first
        message = json.loads(raw)
        args, _kwargs, _embed = json.loads(base64.b64decode(message["body"]))
        found.append((message["headers"]["task"], tuple(args)))
    return found
