"""The one retry layer of the OpenAI-compatible backend: urllib3's Retry on the session, against
the real local server (tests/support/openai_server.py). No retry loop or sleep of our own."""

import time

import pytest

from labeling.engine.base import BackendError, GenerationParams
from labeling.engine.openai_backend import (
    BACKOFF_MAX_S,
    BoundedRetry,
    OpenAICompatibleBackend,
    http_retry,
)
from tests.support.openai_server import run_openai_server

PARAMS = GenerationParams(max_new_tokens=8)
HELLO = [[{"role": "user", "content": "hello"}]]


def _backend(base_url: str, **options) -> OpenAICompatibleBackend:
    options.setdefault("backoff_s", 0.01)
    options.setdefault("timeout_s", 5)
    return OpenAICompatibleBackend(base_url, "test-model", **options)


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
def test_overload_and_server_errors_are_retried_until_an_answer_comes(status):
    with run_openai_server() as server:
        server.fail_next(2, status=status)
        [answer] = _backend(server, max_retries=3).generate(HELLO, PARAMS)
    assert answer.text.startswith("Reply") and server.requests == 3


@pytest.mark.parametrize("status", [429, 503])
def test_it_gives_up_after_the_bound_with_the_servers_message(status):
    with run_openai_server() as server:
        server.fail_next(100, status=status)
        with pytest.raises(BackendError, match=f"after 4 retries.*HTTP {status}.*injected"):
            _backend(server, max_retries=4).generate(HELLO, PARAMS)
    assert server.requests == 5, "one attempt and four retries, never more"


def test_no_retries_means_one_attempt():
    with run_openai_server() as server:
        server.fail_next(100, status=503)
        with pytest.raises(BackendError):
            _backend(server, max_retries=0).generate(HELLO, PARAMS)
    assert server.requests == 1


def test_retry_after_is_honoured():
    with run_openai_server() as server:
        server.fail_next(1, status=429, retry_after="1")
        _backend(server, max_retries=2, backoff_s=0).generate(HELLO, PARAMS)
        waited = server.arrivals[1] - server.arrivals[0]
    assert server.requests == 2 and 0.9 <= waited < 3


def test_a_huge_retry_after_is_capped_so_a_server_cannot_park_the_worker():
    retry = http_retry(max_retries=2, backoff_s=0.5)

    class Answer:
        headers = {"Retry-After": "86400"}

    assert isinstance(retry, BoundedRetry) and retry.get_retry_after(Answer()) == BACKOFF_MAX_S


def test_backoff_grows_exponentially_and_is_bounded():
    retry = http_retry(max_retries=8, backoff_s=0.5)
    assert retry.total == 8 and retry.backoff_max == BACKOFF_MAX_S
    waits = []
    for _ in range(8):
        retry = retry.increment(method="POST", url="/v1/chat/completions", error=ConnectionError())
        waits.append(retry.get_backoff_time())
    assert waits[:4] == [0, 1.0, 2.0, 4.0] and max(waits) == BACKOFF_MAX_S


def test_backoff_waits_between_attempts():
    with run_openai_server() as server:
        server.fail_next(2, status=503)
        started = time.monotonic()
        _backend(server, max_retries=2, backoff_s=0.2).generate(HELLO, PARAMS)
        elapsed = time.monotonic() - started
    # urllib3 retries the first time at once, then after backoff_s x 2 = 0.4 s.
    assert server.requests == 3 and elapsed >= 0.35
