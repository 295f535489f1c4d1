"""OpenAI-compatible chat-completions backend (vLLM, TGI, Ollama, hosted APIs).

A remote server is slow per request but handles many at once, so requests run in a bounded thread
pool: throughput scales with `max_concurrency` while the server's limits are respected. Judging
reads `top_logprobs` of the first generated token instead of parsing text.

Retries are urllib3's `Retry` on each thread's requests session, the one retry layer for HTTP:
connection errors, timeouts, 429 and 5xx are retried at most `max_retries` times with
exponential backoff, honouring the server's Retry-After (capped, so a server cannot park a
worker). What is still failing after that raises BackendError, and the Celery task retries the
batch as a whole (cai_audit/work/tasks.py).
"""

import math
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

from urllib3.util.retry import Retry

from .base import BackendError, Conversation, Generation, GenerationParams, OptionScores

TOP_LOGPROBS = 20  # the most OpenAI's API accepts; vLLM and others follow it
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
BACKOFF_MAX_S = 30.0  # the longest wait between two attempts, Retry-After included


class BoundedRetry(Retry):
    """urllib3's Retry, with the server's Retry-After honoured only up to BACKOFF_MAX_S."""

    def get_retry_after(self, response) -> float | None:
        after = super().get_retry_after(response)
        return None if after is None else min(after, BACKOFF_MAX_S)


def http_retry(*, max_retries: int, backoff_s: float) -> BoundedRetry:
    """At most `max_retries` retries in all (connect, read, status), the first at once and then
    after `backoff_s`, 2 x `backoff_s`, ... (urllib3's schedule, capped at BACKOFF_MAX_S). POST
    is retried too: a chat completion has no side effect on the server. The last response is
    returned rather than raised, so the caller reports the server's own message."""
    return BoundedRetry(
        total=max_retries,
        backoff_factor=backoff_s,
        backoff_max=BACKOFF_MAX_S,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=None,
        respect_retry_after_header=True,
        raise_on_status=False,
        redirect=0,
    )


class RequestRejected(Exception):
    """The server refused the request itself (HTTP 4xx other than 429), e.g. an unknown model.

    Deliberately not a BackendError: tasks retry those, and retrying this cannot help.
    """


class OpenAICompatibleBackend:
    """Calls `{base_url}/chat/completions`, one request per conversation, keeping input order."""

    def __init__(
        self,
        base_url: str,
        model: str,
        api_key: str | None = None,
        max_concurrency: int = 8,
        timeout_s: float = 60,
        max_retries: int = 3,
        backoff_s: float = 0.5,
    ):
        if max_concurrency < 1:
            raise ValueError("max_concurrency must be at least 1")
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.model_id = f"openai:{model}"
        self.max_concurrency = max_concurrency
        self.timeout_s = timeout_s
        self.max_retries = max_retries
        self.backoff_s = backoff_s
        self._headers = {"Content-Type": "application/json"}
        if api_key:
            self._headers["Authorization"] = f"Bearer {api_key}"
        # requests.Session is not documented as thread-safe: one per worker thread.
        self._local = threading.local()
        self._executor = ThreadPoolExecutor(
            max_workers=max_concurrency, thread_name_prefix="openai-backend"
        )

    def __repr__(self) -> str:  # never shows the key
        return f"OpenAICompatibleBackend({self.base_url!r}, {self.model!r})"

    def close(self) -> None:
        self._executor.shutdown(wait=True)

    # -- HTTP ------------------------------------------------------------------------------

    def _session(self):
        import requests
        from requests.adapters import HTTPAdapter

        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
            retry = http_retry(max_retries=self.max_retries, backoff_s=self.backoff_s)
            for scheme in ("http://", "https://"):
                session.mount(scheme, HTTPAdapter(max_retries=retry))
        return session

    def _post(self, payload: dict) -> dict:
        """POST once through the session's retry layer (http_retry); what still fails after the
        retries raises BackendError, what the server refuses raises RequestRejected."""
        import requests

        url = f"{self.base_url}/chat/completions"
        given_up = f"{url} failed after {self.max_retries} retries; last:"
        try:
            # Never follow redirects: the key must only ever reach the allowed server.
            response = self._session().post(
                url,
                json=payload,
                headers=self._headers,
                timeout=self.timeout_s,
                allow_redirects=False,
            )
        except (requests.ConnectionError, requests.Timeout) as error:
            raise BackendError(f"{given_up} {type(error).__name__}: {error}") from error
        if response.status_code in RETRY_STATUSES or response.status_code >= 500:
            raise BackendError(
                f"{given_up} HTTP {response.status_code}: {_server_message(response)}"
            )
        if 300 <= response.status_code < 400:
            raise RequestRejected(
                f"{url} answered with a redirect (HTTP {response.status_code}); redirects "
                "are not followed: set base_url to the final address."
            )
        if response.status_code >= 400:
            raise RequestRejected(
                f"{url} rejected the request (HTTP {response.status_code}): "
                f"{_server_message(response)}"
            )
        try:
            return response.json()
        except ValueError as error:
            raise BackendError(f"{url} returned invalid JSON: {error}") from error

    def _map(self, call: Callable, items: Sequence) -> list:
        """Run `call` over items with bounded concurrency; results in input order."""
        if len(items) <= 1 or self.max_concurrency == 1:
            return [call(item) for item in items]
        return list(self._executor.map(call, items))

    # -- interface -------------------------------------------------------------------------

    def generate(
        self, conversations: Sequence[Conversation], params: GenerationParams
    ) -> list[Generation]:
        def one(conversation: Conversation) -> Generation:
            started = time.perf_counter()
            body = self._post(
                {
                    "model": self.model,
                    "messages": list(conversation),
                    **_continuation(conversation),
                    "max_tokens": params.max_new_tokens,
                    "temperature": params.temperature,
                    "top_p": params.top_p,
                    "seed": params.seed,
                }
            )
            choice = _first_choice(body)
            text = (choice.get("message") or {}).get("content") or ""
            usage = body.get("usage") or {}
            tokens = usage.get("completion_tokens")
            return Generation(
                text=text.strip(),
                output_tokens=int(tokens) if tokens is not None else len(text.split()),
                latency_s=time.perf_counter() - started,
            )

        return self._map(one, list(conversations))

    def option_probabilities(
        self, conversations: Sequence[Conversation], options: Sequence[str]
    ) -> list[OptionScores]:
        if not options:
            raise ValueError("option_probabilities needs at least one option")
        keys = [option.strip() for option in options]

        def one(conversation: Conversation) -> OptionScores:
            started = time.perf_counter()
            body = self._post(
                {
                    "model": self.model,
                    "messages": list(conversation),
                    **_continuation(conversation),
                    "max_tokens": 1,
                    "temperature": 0,
                    "logprobs": True,
                    "top_logprobs": TOP_LOGPROBS,
                }
            )
            top = _first_token_top_logprobs(body)
            return option_scores_from_top_logprobs(
                top, keys, latency_s=time.perf_counter() - started
            )

        return self._map(one, list(conversations))


def option_scores_from_top_logprobs(
    top: Sequence[dict], options: Sequence[str], *, latency_s: float = 0.0
) -> OptionScores:
    """Map `[{"token": " A", "logprob": -0.1}, ...]` onto options by stripped token text.

    Several tokens can strip to the same option ("A" and " A"): their probabilities add up. If no
    option is among the top tokens, the scores are uniform with mass 0 and `extra["missing"]`.
    """
    raw = [0.0] * len(options)
    index = {option.strip(): position for position, option in enumerate(options)}
    for entry in top:
        position = index.get(str(entry.get("token", "")).strip())
        if position is not None and entry.get("logprob") is not None:
            raw[position] += math.exp(float(entry["logprob"]))
    mass = sum(raw)
    extra: dict = {"raw": raw}
    if mass > 0:
        probabilities = tuple(value / mass for value in raw)
    else:
        probabilities = tuple(1.0 / len(options) for _ in options)
        extra["missing"] = True
    return OptionScores(
        probabilities=probabilities, mass=min(mass, 1.0), latency_s=latency_s, extra=extra
    )


def _continuation(conversation: Conversation) -> dict:
    """Ask the server to continue a final assistant message instead of starting a new one
    (vLLM's chat-template options; servers without them treat the message as a prior turn)."""
    if conversation and conversation[-1]["role"] == "assistant":
        return {"continue_final_message": True, "add_generation_prompt": False}
    return {}


def _first_choice(body: dict) -> dict:
    choices = body.get("choices") or []
    if not choices:
        raise BackendError(f"response has no choices: {str(body)[:200]}")
    return choices[0]


def _first_token_top_logprobs(body: dict) -> list[dict]:
    logprobs = _first_choice(body).get("logprobs") or {}
    content = logprobs.get("content") or []
    if not content:
        return []  # servers without logprobs support: treated as "no option seen"
    return content[0].get("top_logprobs") or []


def _server_message(response) -> str:
    """The error text the server sent (OpenAI style `{"error": {"message": ...}}` or raw)."""
    try:
        body = response.json()
    except ValueError:
        return response.text[:500]
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict) and error.get("message"):
        return str(error["message"])
    if isinstance(error, str):
        return error
    return str(body)[:500]
