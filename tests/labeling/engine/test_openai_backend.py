"""The OpenAI-compatible backend against a real local HTTP server (tests/support)."""

import math
import socket
import time

import pytest

from labeling.engine.base import BackendError, GenerationParams
from labeling.engine.openai_backend import OpenAICompatibleBackend, RequestRejected
from tests.support.openai_server import run_openai_server

PARAMS = GenerationParams(max_new_tokens=20, temperature=0.7, top_p=0.9, seed=11)


def conversation(text: str) -> list[dict]:
    return [{"role": "user", "content": text}]


def make_backend(base_url: str, **options) -> OpenAICompatibleBackend:
    options.setdefault("backoff_s", 0.01)
    options.setdefault("timeout_s", 5)
    return OpenAICompatibleBackend(base_url, "test-model", **options)


def echo_with_uneven_delays(body: dict) -> dict:
    """Later prompts answer sooner, so completion order differs from request order."""
    number = int(body["messages"][-1]["content"].split()[-1])
    time.sleep(0.002 * (12 - number))
    return {"text": f"echo {number}"}


def test_generate_keeps_input_order_and_sends_sampling_settings():
    with run_openai_server(responder=echo_with_uneven_delays) as server:
        backend = make_backend(server, max_concurrency=6, api_key="secret-key")
        generations = backend.generate([conversation(f"item {n}") for n in range(12)], PARAMS)
    assert [generation.text for generation in generations] == [f"echo {n}" for n in range(12)]
    assert all(generation.output_tokens == 2 for generation in generations)
    body = server.bodies[0]
    assert body["model"] == "test-model"
    assert (body["max_tokens"], body["temperature"], body["top_p"], body["seed"]) == (
        20,
        0.7,
        0.9,
        11,
    )
    assert server.headers[0]["Authorization"] == "Bearer secret-key"
    assert "secret-key" not in repr(backend)


def test_concurrency_is_bounded_by_max_concurrency():
    with run_openai_server(latency_s=0.05) as server:
        backend = make_backend(server, max_concurrency=4)
        backend.generate([conversation(f"q{n}") for n in range(24)], PARAMS)
    assert server.requests == 24
    assert 2 <= server.max_in_flight <= 4


def test_requests_run_concurrently_for_throughput():
    with run_openai_server(latency_s=0.1) as server:
        backend = make_backend(server, max_concurrency=8)
        started = time.perf_counter()
        backend.generate([conversation(f"q{n}") for n in range(16)], PARAMS)
        elapsed = time.perf_counter() - started
    assert elapsed < 0.1 * 16 / 2, "16 requests of 100 ms took as long as sequential ones"


def test_retries_succeed_after_two_server_errors():
    with run_openai_server(fail_first=2) as server:
        backend = make_backend(server, max_retries=3)
        [generation] = backend.generate([conversation("hello")], PARAMS)
    assert generation.text.startswith("Reply")
    assert server.requests == 3


def test_gives_up_with_backend_error_after_max_retries():
    with run_openai_server(fail_first=10) as server:
        backend = make_backend(server, max_retries=2)
        with pytest.raises(BackendError, match="after 2 retries.*HTTP 503"):
            backend.generate([conversation("hello")], PARAMS)
    assert server.requests == 3


def test_rate_limit_is_retried():
    with run_openai_server() as server:
        server.fail_next(1, status=429)
        backend = make_backend(server, max_retries=1)
        assert backend.generate([conversation("hello")], PARAMS)[0].text
    assert server.requests == 2


def test_client_errors_fail_at_once_with_the_server_message():
    def reject(body):
        return {"status": 400, "error": "model 'test-model' does not exist"}

    with run_openai_server(responder=reject) as server:
        backend = make_backend(server, max_retries=3)
        with pytest.raises(RequestRejected, match="HTTP 400.*does not exist"):
            backend.generate([conversation("hello")], PARAMS)
    assert server.requests == 1
    assert not issubclass(RequestRejected, BackendError), "tasks would retry it"


def test_timeouts_are_retried_then_reported():
    with run_openai_server(latency_s=0.5) as server:
        backend = make_backend(server, timeout_s=0.1, max_retries=1)
        with pytest.raises(BackendError, match="Timeout"):
            backend.generate([conversation("hello")], PARAMS)
    assert server.requests == 2


def test_connection_refused_is_a_backend_error():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    backend = make_backend(f"http://127.0.0.1:{port}/v1", max_retries=1)
    with pytest.raises(BackendError, match="ConnectionError"):
        backend.generate([conversation("hello")], PARAMS)


def test_option_probabilities_read_top_logprobs_of_the_first_token():
    def logprobs(body):
        return {
            "top_logprobs": [
                {"token": " A", "logprob": math.log(0.3)},
                {"token": "A", "logprob": math.log(0.2)},
                {"token": "B", "logprob": math.log(0.1)},
                {"token": "The", "logprob": math.log(0.05)},
            ]
        }

    with run_openai_server(responder=logprobs) as server:
        backend = make_backend(server)
        [score] = backend.option_probabilities([conversation("judge")], ["A", "B"])
    assert score.probabilities == pytest.approx((0.5 / 0.6, 0.1 / 0.6))
    assert score.mass == pytest.approx(0.6)
    assert "missing" not in score.extra
    body = server.bodies[0]
    assert (body["max_tokens"], body["temperature"], body["logprobs"], body["top_logprobs"]) == (
        1,
        0,
        True,
        20,
    )


def test_option_probabilities_keep_input_order():
    prompts = [conversation(f"pair {n}") for n in range(10)]
    with run_openai_server(latency_s=0.01) as server:
        backend = make_backend(server, max_concurrency=5)
        batched = backend.option_probabilities(prompts, ["A", "B"])
        one_by_one = [backend.option_probabilities([p], ["A", "B"])[0] for p in prompts]
    assert [s.probabilities for s in batched] == [s.probabilities for s in one_by_one]
    assert len({s.probabilities for s in batched}) > 1
    for score in batched:
        assert sum(score.probabilities) == pytest.approx(1.0)
        assert score.mass == pytest.approx(0.9)


def test_missing_options_give_uniform_probabilities_and_a_flag():
    def no_letters(body):
        return {"top_logprobs": [{"token": "I", "logprob": -0.1}, {"token": "The", "logprob": -3}]}

    with run_openai_server(responder=no_letters) as server:
        backend = make_backend(server)
        [score] = backend.option_probabilities([conversation("judge")], ["A", "B"])
    assert score.probabilities == (0.5, 0.5)
    assert score.mass == 0
    assert score.extra["missing"] is True


def test_a_prefilled_assistant_answer_asks_the_server_to_continue_it():
    prefilled = conversation("A or B?") + [{"role": "assistant", "content": "The answer is"}]
    with run_openai_server() as server:
        make_backend(server).option_probabilities([prefilled, conversation("plain")], ("A", "B"))
    continued = next(b for b in server.bodies if b["messages"][-1]["role"] == "assistant")
    plain = next(b for b in server.bodies if b["messages"][-1]["role"] == "user")
    assert continued["continue_final_message"] is True
    assert continued["add_generation_prompt"] is False
    assert "continue_final_message" not in plain
