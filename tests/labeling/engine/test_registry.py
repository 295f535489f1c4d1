"""Backend configs: validation messages the forms show, and one backend per config per process."""

import pytest

from labeling.engine.default_model import DEFAULT_MODEL
from labeling.engine.endpoints import EndpointPolicy
from labeling.engine.openai_backend import OpenAICompatibleBackend
from labeling.engine.registry import (
    backend_from_config,
    clear_backend_cache,
    validate_backend_config,
)
from labeling.engine.transformers_backend import TransformersBackend

OPENAI = {
    "backend": "openai",
    "base_url": "http://gpu-box:8000/v1",
    "model": "llama3",
    "api_key_env": "CAI_CRITIC_KEY_TEST",
    "max_concurrency": 16,
    "timeout_s": 60,
    "max_retries": 3,
}
GPU_BOX = EndpointPolicy(base_urls=("gpu-box:8000",))


@pytest.fixture(autouse=True)
def empty_cache():
    clear_backend_cache()
    yield
    clear_backend_cache()


@pytest.mark.parametrize(
    "config",
    [
        {"backend": "transformers", "model": DEFAULT_MODEL},
        {"backend": "transformers", "model": "/srv/models/x", "device": "cuda:1", "batch_size": 4},
        OPENAI,
        {"backend": "openai", "base_url": "https://api.example.com/v1", "model": "m"},
        {**OPENAI, "api_key_env": ""},
    ],
)
def test_valid_configs_have_no_problems(config):
    assert validate_backend_config(config) == []


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"backend": "vllm", "model": "x"}, "Unknown backend 'vllm'"),
        ({"model": "x"}, "Unknown backend None"),
        ({"backend": "openai", "model": "m"}, "needs a base_url"),
        ({**OPENAI, "base_url": "gpu-box:8000"}, "must be an http(s) URL"),
        ({**OPENAI, "model": ""}, "A model is required"),
        ({**OPENAI, "api_key_env": "sk-live-123"}, "must name an environment variable"),
        ({**OPENAI, "max_concurrency": 0}, "max_concurrency must be a whole number"),
        ({**OPENAI, "timeout_s": 0}, "timeout_s must be greater than 0"),
        ({**OPENAI, "max_retries": -1}, "max_retries must be a whole number of at least 0"),
        ({"backend": "transformers", "model": "models/x"}, "absolute path"),
        ({"backend": "transformers", "model": DEFAULT_MODEL, "batch_size": "8"}, "batch_size"),
        ({"backend": "transformers", "model": DEFAULT_MODEL, "device": "gpu"}, "device must be"),
        ({"backend": "transformers", "model": DEFAULT_MODEL, "base_url": "x"}, "Unknown setting"),
    ],
)
def test_invalid_configs_are_explained(config, message):
    problems = validate_backend_config(config)
    assert any(message in problem for problem in problems), problems


def test_the_api_key_itself_is_never_echoed_in_messages():
    problems = validate_backend_config({**OPENAI, "api_key_env": "sk-live-1234567890"})
    assert "1234567890" not in " ".join(problems)


def test_building_an_invalid_config_raises_value_error(tmp_path):
    with pytest.raises(ValueError, match="needs a base_url"):
        backend_from_config({"backend": "openai", "model": "m"}, cache_root=tmp_path)


def test_openai_backend_reads_its_key_from_the_named_variable(tmp_path, monkeypatch):
    monkeypatch.setenv("CAI_CRITIC_KEY_TEST", "secret-value")
    backend = backend_from_config(OPENAI, cache_root=tmp_path, policy=GPU_BOX)
    assert isinstance(backend, OpenAICompatibleBackend)
    assert backend.max_concurrency == 16
    assert backend._headers["Authorization"] == "Bearer secret-value"


def test_a_named_but_unset_key_variable_is_an_error(tmp_path, monkeypatch):
    monkeypatch.delenv("CAI_CRITIC_KEY_TEST", raising=False)
    with pytest.raises(ValueError, match="CAI_CRITIC_KEY_TEST"):
        backend_from_config(OPENAI, cache_root=tmp_path, policy=GPU_BOX)


def test_equal_configs_share_one_backend(tmp_path, monkeypatch):
    monkeypatch.setenv("CAI_CRITIC_KEY_TEST", "k")
    first = backend_from_config(OPENAI, cache_root=tmp_path, policy=GPU_BOX)
    reordered = dict(reversed(list(OPENAI.items())))
    assert backend_from_config(reordered, cache_root=tmp_path, policy=GPU_BOX) is first
    other = backend_from_config(
        {**OPENAI, "max_concurrency": 2}, cache_root=tmp_path, policy=GPU_BOX
    )
    assert other is not first


def test_a_local_model_is_loaded_once_per_process(tiny_model_dir, tmp_path):
    config = {"backend": "transformers", "model": str(tiny_model_dir), "device": "cpu"}
    backend = backend_from_config(config, cache_root=tmp_path)
    assert isinstance(backend, TransformersBackend)
    assert backend_from_config(dict(config), cache_root=tmp_path) is backend


def test_a_missing_model_folder_is_reported_when_building(tmp_path):
    config = {"backend": "transformers", "model": str(tmp_path / "nope")}
    with pytest.raises(FileNotFoundError, match="does not exist"):
        backend_from_config(config, cache_root=tmp_path)
