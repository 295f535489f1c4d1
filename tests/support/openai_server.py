"""A real local HTTP server that speaks enough of OpenAI's chat-completions protocol for tests
and benchmarks: deterministic replies, A/B logprobs, adjustable latency, injected failures.

It runs in a background thread on 127.0.0.1 with an OS-chosen port, so the OpenAI-compatible
backend is tested through real sockets (timeouts, retries, concurrency) without any network.
"""

import hashlib
import json
import math
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# responder(request_body) -> dict with any of: "text" (the reply), "top_logprobs" (list of
# {"token", "logprob"}), "status" and "error" (to answer with an HTTP error instead).
Responder = Callable[[dict], dict]


def prompt_digest(body: dict) -> int:
    """A stable number derived from the request's messages: same prompt, same answer."""
    text = json.dumps(body.get("messages", []), sort_keys=True)
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16)


def default_response(body: dict) -> dict:
    """A reply naming the prompt's digest, and P(A) spread over (0.05, 0.95) by the digest."""
    digest = prompt_digest(body)
    messages = body.get("messages") or [{}]
    last = str(messages[-1].get("content", ""))[:40]
    p_a = 0.05 + 0.9 * (digest % 1000) / 1000
    return {
        "text": f"Reply {digest:08x} to: {last}",
        "top_logprobs": [
            {"token": "A", "logprob": math.log(p_a * 0.9)},
            {"token": "B", "logprob": math.log((1 - p_a) * 0.9)},
            {"token": "The", "logprob": math.log(0.1)},
        ],
    }


class OpenAIServer(str):
    """The server's base URL (so `with run_openai_server() as base_url:` reads naturally), which
    also carries the counters tests assert on and the failure switch."""

    requests: int
    in_flight: int
    max_in_flight: int
    bodies: list[dict]
    headers: list[dict]

    def __new__(cls, base_url: str):
        server = super().__new__(cls, base_url)
        server.requests = 0
        server.in_flight = 0
        server.max_in_flight = 0
        server.bodies = []
        server.headers = []
        server._failures_left = 0
        server._failure_status = 503
        server._retry_after = None
        server.arrivals = []
        server._lock = threading.Lock()
        return server

    @property
    def base_url(self) -> str:
        return str(self)

    def fail_next(self, count: int, status: int = 503, retry_after: str | None = None) -> None:
        """Answer the next `count` requests with HTTP `status` (503: retryable by the client),
        with a Retry-After header when `retry_after` is given."""
        with self._lock:
            self._failures_left = count
            self._failure_status = status
            self._retry_after = retry_after

    def reset_counts(self) -> None:
        with self._lock:
            self.requests = self.max_in_flight = 0
            self.arrivals.clear()
            self.bodies.clear()
            self.headers.clear()


def _handler_class(state: OpenAIServer, latency_s: float, responder: Responder | None):
    class ChatCompletionsHandler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as the requests Session expects

        def log_message(self, format, *args):  # quiet: tests read pytest output, not access logs
            pass

        def _send(self, status: int, payload: dict, headers: dict | None = None) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self):
            length = int(self.headers.get("Content-Length", 0))
            raw = self.rfile.read(length)
            with state._lock:
                state.requests += 1
                state.arrivals.append(time.monotonic())
                state.in_flight += 1
                state.max_in_flight = max(state.max_in_flight, state.in_flight)
                failing = state._failures_left > 0
                if failing:
                    state._failures_left -= 1
            try:
                if latency_s:
                    time.sleep(latency_s)
                if not self.path.rstrip("/").endswith("/chat/completions"):
                    self._send(404, {"error": {"message": f"no route {self.path}"}})
                    return
                if failing:
                    retry_after = state._retry_after
                    self._send(
                        state._failure_status,
                        {"error": {"message": "injected failure"}},
                        {"Retry-After": retry_after} if retry_after is not None else None,
                    )
                    return
                body = json.loads(raw or b"{}")
                with state._lock:
                    state.bodies.append(body)
                    state.headers.append(dict(self.headers))
                self._answer(body)
            finally:
                with state._lock:
                    state.in_flight -= 1

        def _answer(self, body: dict) -> None:
            response = default_response(body)
            if responder is not None:
                response.update(responder(body) or {})
            if response.get("status", 200) != 200:
                self._send(response["status"], {"error": {"message": response.get("error", "")}})
                return
            words = response["text"].split()[: int(body.get("max_tokens") or 10**6)]
            text = " ".join(words)
            choice: dict = {
                "index": 0,
                "message": {"role": "assistant", "content": text},
                "finish_reason": "length" if len(words) == body.get("max_tokens") else "stop",
            }
            if body.get("logprobs"):
                top = response["top_logprobs"][: int(body.get("top_logprobs") or 0)]
                first = top[0] if top else {"token": words[0] if words else "", "logprob": 0.0}
                choice["logprobs"] = {"content": [{**first, "top_logprobs": top}]}
            self._send(
                200,
                {
                    "id": f"chatcmpl-{state.requests}",
                    "object": "chat.completion",
                    "model": body.get("model", ""),
                    "choices": [choice],
                    "usage": {"completion_tokens": len(words)},
                },
            )

    return ChatCompletionsHandler


@contextmanager
def run_openai_server(
    latency_s: float = 0.0, responder: Responder | None = None, fail_first: int = 0
) -> Iterator[OpenAIServer]:
    """Serve chat completions at the yielded base URL (`http://127.0.0.1:PORT/v1`) until exit."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    state = OpenAIServer(f"http://127.0.0.1:{httpd.server_address[1]}/v1")
    state.fail_next(fail_first)
    httpd.RequestHandlerClass = _handler_class(state, latency_s, responder)
    httpd.daemon_threads = True
    # A short poll interval makes leaving the context quick (the default waits up to 0.5 s).
    thread = threading.Thread(
        target=httpd.serve_forever, args=(0.02,), name="openai-test-server", daemon=True
    )
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
