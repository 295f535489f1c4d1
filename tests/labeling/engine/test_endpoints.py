"""The endpoint policy: which servers an OpenAI-compatible critic may call and which variables its
key may come from, checked where the registry reads the key (real local server, real sockets)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from labeling.engine.endpoints import EndpointPolicy
from labeling.engine.openai_backend import OpenAICompatibleBackend
from labeling.engine.registry import backend_from_config, clear_backend_cache
from tests.support.openai_server import run_openai_server


@pytest.fixture(autouse=True)
def empty_cache():
    clear_backend_cache()
    yield
    clear_backend_cache()


def config_for(base_url: str, api_key_env: str = "") -> dict:
    return {
        "backend": "openai",
        "base_url": base_url,
        "model": "m",
        "api_key_env": api_key_env,
        "max_retries": 0,
        "timeout_s": 5,
    }


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/v1",
        "http://localhost/v1",
        "https://LOCALHOST:9/x",
        "http://[::1]:8000/v1",
    ],
)
def test_loopback_servers_are_allowed_by_default(url):
    assert EndpointPolicy().base_url_problem(url) is None


@pytest.mark.parametrize(
    "url",
    [
        "http://attacker.example/v1",
        "http://localhost.attacker.example/v1",
        "http://127.0.0.1@attacker.example/v1",  # credentials trick: the host is attacker's
        "http://127.0.0.2:8000/v1",
        "ftp://127.0.0.1/v1",
        "http://127.0.0.1:99999/v1",
        "127.0.0.1:8000/v1",
    ],
)
def test_other_servers_are_refused_by_default(url):
    assert EndpointPolicy().base_url_problem(url)


def test_url_prefix_entries_match_scheme_host_port_and_whole_path_segments():
    policy = EndpointPolicy(base_urls=("https://api.example.com/v1", "gpu-1:8000"))
    assert policy.base_url_problem("https://api.example.com/v1") is None
    assert policy.base_url_problem("https://api.example.com/v1/") is None
    assert policy.base_url_problem("https://api.example.com:443/v1/deep") is None
    assert policy.base_url_problem("https://api.example.com/v10")  # not the /v1 segment
    assert policy.base_url_problem("http://api.example.com/v1")  # scheme differs
    assert policy.base_url_problem("https://api.example.com:8443/v1")  # port differs
    assert policy.base_url_problem("http://gpu-1:8000/v1") is None
    assert policy.base_url_problem("https://gpu-1:8000/anything") is None
    assert policy.base_url_problem("http://gpu-1:8001/v1")
    assert policy.base_url_problem("http://127.0.0.1/v1")  # loopback only when listed


def test_an_empty_allow_list_allows_nothing():
    assert EndpointPolicy(base_urls=()).base_url_problem("http://127.0.0.1/v1")


@given(st.text(max_size=60))
def test_any_string_gets_an_answer_and_never_an_exception(url):
    problem = EndpointPolicy(
        base_urls=("127.0.0.1", "https://api.example.com/v1")
    ).base_url_problem(url)
    assert problem is None or isinstance(problem, str)


@pytest.mark.parametrize(
    "name", ["DATABASE_URL", "SECRET_KEY", "CELERY_BROKER_URL", "CAI_CRITIC_KEY_"]
)
def test_key_variables_must_carry_the_prefix(name):
    assert EndpointPolicy().key_env_problem(name)


def test_prefixed_and_listed_key_variables_are_allowed():
    assert EndpointPolicy().key_env_problem("CAI_CRITIC_KEY_VLLM") is None
    assert EndpointPolicy(key_envs=("OPENAI_API_KEY",)).key_env_problem("OPENAI_API_KEY") is None
    assert EndpointPolicy().key_env_problem("") is None  # no key at all


def test_a_config_naming_database_url_never_sends_it(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres:hunter2@db:5432/cai")
    with run_openai_server() as server:
        with pytest.raises(ValueError, match="api_key_env must start with CAI_CRITIC_KEY_"):
            backend_from_config(config_for(server.base_url, "DATABASE_URL"), cache_root=tmp_path)
        assert server.requests == 0


def test_a_disallowed_base_url_is_refused_with_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setenv("CAI_CRITIC_KEY_TEST", "sk-test")
    with run_openai_server() as server:
        policy = EndpointPolicy(base_urls=("gpu-1",))  # the test server's 127.0.0.1 is not listed
        with pytest.raises(ValueError, match=r"base_url http://127\.0\.0\.1:\d+ is not on the"):
            config = config_for(server.base_url, "CAI_CRITIC_KEY_TEST")
            backend_from_config(config, cache_root=tmp_path, policy=policy)
        assert server.requests == 0


def test_an_allowed_server_gets_the_key_from_an_allowed_variable(monkeypatch, tmp_path):
    monkeypatch.setenv("CAI_CRITIC_KEY_TEST", "sk-test")
    with run_openai_server() as server:
        backend = backend_from_config(
            config_for(server.base_url, "CAI_CRITIC_KEY_TEST"), cache_root=tmp_path
        )
        assert isinstance(backend, OpenAICompatibleBackend)
        question = [{"role": "user", "content": "A or B?"}]
        scores = backend.option_probabilities([question], ["A", "B"])
        assert len(scores) == 1
        assert server.headers[0]["Authorization"] == "Bearer sk-test"


def test_a_cached_backend_is_refused_once_the_policy_no_longer_allows_it(monkeypatch, tmp_path):
    monkeypatch.setenv("CAI_CRITIC_KEY_TEST", "sk-test")
    config = config_for("http://127.0.0.1:9/v1", "CAI_CRITIC_KEY_TEST")
    backend_from_config(config, cache_root=tmp_path)
    with pytest.raises(ValueError, match="not on the allowed list"):
        backend_from_config(config, cache_root=tmp_path, policy=EndpointPolicy(base_urls=()))


def test_redirects_are_not_followed(monkeypatch):
    """An allowed server that redirects elsewhere must not carry the key there."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from threading import Thread

    class Redirect(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_POST(self):
            self.send_response(307)
            self.send_header("Location", "http://127.0.0.1:9/steal")
            self.send_header("Content-Length", "0")
            self.end_headers()

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Redirect)
    Thread(target=httpd.serve_forever, args=(0.02,), daemon=True).start()
    try:
        backend = OpenAICompatibleBackend(
            f"http://127.0.0.1:{httpd.server_address[1]}/v1", "m", api_key="k", max_retries=0
        )
        from labeling.engine.openai_backend import RequestRejected

        with pytest.raises(RequestRejected, match="redirect"):
            backend.option_probabilities([[{"role": "user", "content": "x"}]], ["A", "B"])
    finally:
        httpd.shutdown()
        httpd.server_close()
