"""Which servers an OpenAI-compatible critic may call, and which environment variables may hold
its key.

A critic configuration is written by researchers in the browser, but its API key is read from the
environment of the worker, which also holds DATABASE_URL, SECRET_KEY and the broker's password.
Without limits, a configuration naming `DATABASE_URL` and a server its author controls would have
the worker send the database password in the Authorization header. So key variables must carry a
fixed prefix (or be listed by an administrator), and base URLs must match an administrator's
allow-list (loopback only by default, so vLLM or Ollama on the same machine work out of the box).
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

KEY_ENV_PREFIX = "CAI_CRITIC_KEY_"
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
_DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class _Endpoint:
    scheme: str | None
    host: str
    port: int | None
    path: str


def _parse(url: str) -> _Endpoint:
    """Split a URL or a bare `host[:port]`; ValueError when it cannot be read."""
    bare = "://" not in url
    if bare and url.count(":") > 1 and not url.startswith("["):
        url = f"[{url}]"  # a bare IPv6 address such as ::1
    parts = urlsplit(f"http://{url}" if bare else url)
    if parts.username is not None or parts.password is not None:
        raise ValueError("credentials in the URL are not allowed")
    host = (parts.hostname or "").lower()
    if not host:
        raise ValueError("no host")
    port = parts.port  # ValueError for a port that is not a number or out of range
    if bare:
        return _Endpoint(scheme=None, host=host, port=port, path="")
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise ValueError("only http and https")
    return _Endpoint(
        scheme=scheme,
        host=host,
        port=port if port is not None else _DEFAULT_PORTS[scheme],
        path=parts.path.rstrip("/"),
    )


def _allows(rule: _Endpoint, url: _Endpoint) -> bool:
    if rule.host != url.host:
        return False
    if rule.port is not None and rule.port != url.port:
        return False
    if rule.scheme is not None and rule.scheme != url.scheme:
        return False
    # A path prefix matches whole segments: /v1 allows /v1 and /v1/x, never /v10.
    return not rule.path or url.path == rule.path or url.path.startswith(rule.path + "/")


@dataclass(frozen=True)
class EndpointPolicy:
    """The administrator's limits for OpenAI-compatible critics.

    `base_urls` entries are hosts (`gpu-1`, `gpu-1:8000`, `[::1]`: any scheme and path there) or
    URL prefixes (`https://api.example.com/v1`: that scheme, host, port and path below it).
    `key_envs` names variables allowed beside those starting with `CAI_CRITIC_KEY_`.
    """

    base_urls: tuple[str, ...] = LOOPBACK_HOSTS
    key_envs: tuple[str, ...] = ()

    def base_url_problem(self, base_url: str) -> str | None:
        """Why the backend may not call `base_url`, or None when it may."""
        try:
            url = _parse(str(base_url))
        except ValueError as error:
            return f"base_url cannot be used ({error})."
        if url.scheme is None:
            return "base_url must be an http(s) URL."
        for entry in self.base_urls:
            try:
                rule = _parse(entry.strip())
            except ValueError:
                continue  # a malformed entry allows nothing
            if _allows(rule, url):
                return None
        allowed = ", ".join(self.base_urls) or "nothing"
        host = f"[{url.host}]" if ":" in url.host else url.host
        return (
            f"base_url {url.scheme}://{host}:{url.port} is not on the allowed list "
            f"(CAI_CRITIC_BASE_URLS: {allowed}); an administrator can add its host."
        )

    def key_env_problem(self, name: str) -> str | None:
        """Why the variable `name` may not be read as an API key, or None when it may."""
        if not name:
            return None
        if (name.startswith(KEY_ENV_PREFIX) and len(name) > len(KEY_ENV_PREFIX)) or (
            name in self.key_envs
        ):
            return None
        return (
            f"api_key_env must start with {KEY_ENV_PREFIX} (or be listed in CAI_CRITIC_KEY_ENVS); "
            f"{name} is not allowed, so the worker will not read it."
        )

    def config_problems(self, config: dict) -> dict[str, str]:
        """Field -> problem for an openai backend config; empty for other backends."""
        if not isinstance(config, dict) or config.get("backend") != "openai":
            return {}
        problems = {}
        if config.get("base_url"):
            problem = self.base_url_problem(config["base_url"])
            if problem:
                problems["base_url"] = problem
        key_env = config.get("api_key_env") or ""
        if isinstance(key_env, str):
            problem = self.key_env_problem(key_env)
            if problem:
                problems["api_key_env"] = problem
        return problems
