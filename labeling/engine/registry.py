"""Build model backends from plain configuration dicts, once per process.

Configs are what the database stores (no secrets: an API key is named by the environment variable
that holds it). A worker handles many batches with the same critic, so constructed backends are
cached by their config: the model is loaded once per process, not once per batch.

The endpoint policy (which servers, which key variables) is checked here, where the key is read,
on every call and before the cache: a form or serializer that missed a config, or a row written
before the policy existed, still never gets a key sent anywhere.
"""

import json
import os
import re
import threading
from pathlib import Path

from .base import ModelBackend
from .default_model import DEFAULT_MODEL
from .endpoints import EndpointPolicy

BACKENDS = ("transformers", "openai")
_COMMON_KEYS = {"backend", "model"}
_ALLOWED_KEYS = {
    "transformers": _COMMON_KEYS | {"device", "dtype", "batch_size"},
    "openai": _COMMON_KEYS
    | {"base_url", "api_key_env", "max_concurrency", "timeout_s", "max_retries", "backoff_s"},
}
_DEVICE = re.compile(r"^(auto|cpu|mps|cuda(:\d+)?)$")
_DTYPES = ("float32", "float16", "bfloat16")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

_cache: dict[str, ModelBackend] = {}
_cache_lock = threading.Lock()


def _positive_int(config: dict, key: str, problems: list[str]) -> None:
    value = config.get(key)
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
        problems.append(f"{key} must be a whole number of at least 1 (got {value!r}).")


def _number(config: dict, key: str, problems: list[str], *, minimum: float, strict: bool) -> None:
    value = config.get(key)
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float):
        problems.append(f"{key} must be a number (got {value!r}).")
    elif value < minimum or (strict and value == minimum):
        relation = "greater than" if strict else "at least"
        problems.append(f"{key} must be {relation} {minimum:g} (got {value!r}).")


def validate_backend_config(config: dict) -> list[str]:
    """Everything wrong with a backend config, as messages a form can show; empty when valid.

    It checks shape only, never the environment: the web process that validates may not see the
    model folders or API keys of the machines where workers run.
    """
    if not isinstance(config, dict):
        return ["The backend configuration must be a mapping."]
    backend = config.get("backend")
    if backend not in BACKENDS:
        return [f"Unknown backend {backend!r}; choose one of: {', '.join(BACKENDS)}."]
    problems = []
    unknown = sorted(set(config) - _ALLOWED_KEYS[backend])
    if unknown:
        problems.append(f"Unknown setting(s) for the {backend} backend: {', '.join(unknown)}.")
    model = config.get("model")
    if not isinstance(model, str) or not model.strip():
        problems.append("A model is required.")
    elif (
        backend == "transformers"
        and model != DEFAULT_MODEL
        and not Path(model).expanduser().is_absolute()
    ):
        # Workers may run from another directory: a relative path would mean different folders.
        problems.append(
            f"The model must be {DEFAULT_MODEL!r} or an absolute path to a model folder "
            f"(got {model!r})."
        )
    if backend == "transformers":
        device = config.get("device", "auto")
        if not isinstance(device, str) or not _DEVICE.match(device):
            problems.append(f"device must be auto, cpu, mps, cuda or cuda:N (got {device!r}).")
        dtype = config.get("dtype")
        if dtype is not None and dtype not in _DTYPES:
            problems.append(f"dtype must be one of {', '.join(_DTYPES)} (got {dtype!r}).")
        _positive_int(config, "batch_size", problems)
    else:
        base_url = config.get("base_url")
        if not base_url:
            problems.append("The openai backend needs a base_url, e.g. http://gpu-box:8000/v1.")
        elif not isinstance(base_url, str) or not re.match(r"^https?://[^/\s]+", base_url):
            problems.append(f"base_url must be an http(s) URL (got {base_url!r}).")
        api_key_env = config.get("api_key_env") or ""
        if not isinstance(api_key_env, str) or (api_key_env and not _ENV_NAME.match(api_key_env)):
            problems.append(
                f"api_key_env must name an environment variable, not hold a key "
                f"(got {str(api_key_env)[:4]!r}...)."
            )
        _positive_int(config, "max_concurrency", problems)
        _number(config, "timeout_s", problems, minimum=0, strict=True)
        _number(config, "backoff_s", problems, minimum=0, strict=False)
        retries = config.get("max_retries")
        if retries is not None and (
            isinstance(retries, bool) or not isinstance(retries, int) or retries < 0
        ):
            problems.append(f"max_retries must be a whole number of at least 0 (got {retries!r}).")
    return problems


def _cache_key(config: dict, cache_root: Path) -> str:
    return json.dumps({"config": config, "cache_root": str(cache_root)}, sort_keys=True)


def _build(config: dict, cache_root: Path) -> ModelBackend:
    if config["backend"] == "transformers":
        from .default_model import resolve_model_path
        from .transformers_backend import TransformersBackend

        return TransformersBackend(
            resolve_model_path(config["model"], cache_root),
            device=config.get("device", "auto"),
            dtype=config.get("dtype"),
            batch_size=config.get("batch_size", 8),
        )
    from .openai_backend import OpenAICompatibleBackend

    api_key = None
    api_key_env = config.get("api_key_env") or ""
    if api_key_env:
        api_key = os.environ.get(api_key_env)
        if not api_key:
            raise ValueError(
                f"The environment variable {api_key_env} (named by api_key_env) is not set "
                "in this process."
            )
    options = {
        key: config[key]
        for key in ("max_concurrency", "timeout_s", "max_retries", "backoff_s")
        if config.get(key) is not None
    }
    return OpenAICompatibleBackend(config["base_url"], config["model"], api_key=api_key, **options)


def backend_from_config(
    config: dict, *, cache_root: Path, policy: EndpointPolicy | None = None
) -> ModelBackend:
    """The backend for `config`, built on first use and then shared within this process.

    Raises ValueError listing every problem when the config is invalid or outside `policy` (by
    default: loopback servers only, key variables starting with CAI_CRITIC_KEY_). The API key is
    read from the environment when the backend is first built; a key changed later needs a new
    process.
    """
    problems = validate_backend_config(config)
    if not problems:
        problems = list((policy or EndpointPolicy()).config_problems(config).values())
    if problems:
        raise ValueError("Invalid backend configuration: " + " ".join(problems))
    key = _cache_key(config, Path(cache_root))
    with _cache_lock:  # two threads asking at once must not load the model twice
        backend = _cache.get(key)
        if backend is None:
            backend = _cache[key] = _build(config, Path(cache_root))
    return backend


def clear_backend_cache() -> None:
    """Forget cached backends (tests; or a worker told to reload its models)."""
    with _cache_lock:
        for backend in _cache.values():
            close = getattr(backend, "close", None)
            if close is not None:
                close()
        _cache.clear()
