"""The streaming API under load: 4 concurrent clients send 1,000-row batches of preference
labels to a real multi-process server (gunicorn, 4 workers, on the bench PostgreSQL database),
then send every batch again. Used by bench/ingest_bench.py (run that one)."""

import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from _django import ROOT

CLIENTS, BATCH, WORKERS = 4, 1000, 4


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _row(n: int, run: int) -> dict:
    return {
        "id": f"api-{run}-{n}", "prompt": f"Question {n}: what about situation {n % 97}?",
        "response_a": f"A careful answer to question {n}. " * 3,
        "response_b": f"A hasty answer to question {n}. " * 3,
        "p_a_first": (n % 100) / 100, "p_a_second": ((n * 7) % 100) / 100,
        "principle": ("HARM-01", "HARM-02", "HON-01", "HELP-01")[n % 4],
        "domain": ("medical", "legal")[n % 2],
    }  # fmt: skip


def _post(url: str, token: str, body: bytes) -> dict:
    request = urllib.request.Request(  # noqa: S310 - the bench's own local server
        url, data=body, method="POST",
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
    )  # fmt: skip
    with urllib.request.urlopen(request, timeout=300) as response:  # noqa: S310
        return json.loads(response.read())


def _send_all(url: str, token: str, batches: list[bytes]) -> tuple[float, int, int]:
    started = time.perf_counter()
    with ThreadPoolExecutor(CLIENTS) as pool:
        answers = list(pool.map(lambda body: _post(url, token, body), batches))
    elapsed = time.perf_counter() - started
    return elapsed, sum(a["created"] for a in answers), sum(a["duplicates"] for a in answers)


def measure_api(*, rows: int, repeats: int, source: str) -> dict:
    from django.contrib.auth import get_user_model

    from ingest.models import IngestKey
    from ingest.services.accounts import service_account_create
    from labeling.models import PreferenceLabel

    user = get_user_model().objects.filter(username="bench-ingest").first()
    if user is not None:
        user.delete()
    _, token = service_account_create(actor=None, name="bench-ingest")
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": os.environ["BENCH_DATABASE_URL"], "DB_CONN_MAX_AGE": "60"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "cai_audit.wsgi", "-w", str(WORKERS), "-b",
         f"127.0.0.1:{port}", "--timeout", "300", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        url = f"http://127.0.0.1:{port}/api/ingest/{source}/preference/"
        rates, duplicates = [], 0
        for repeat in range(repeats):
            run = int(time.time() * 1000)
            batches = [
                json.dumps([_row(n, run) for n in range(start, min(rows, start + BATCH))]).encode()
                for start in range(0, rows, BATCH)
            ]
            elapsed, created, _ = _send_all(url, token, batches)
            assert created == rows, (created, rows)
            _, again, dup = _send_all(url, token, batches)  # every batch sent twice
            stored = PreferenceLabel.objects.filter(external_id__startswith=f"api-{run}-").count()
            duplicates += again + (stored - rows)
            rates.append(rows / elapsed)
            print(f"api repeat {repeat}: {rows:,} rows in {elapsed:.2f} s "
                  f"({rows / elapsed:,.0f} rows/s); resent: {again} created, {dup} duplicates",
                  flush=True)  # fmt: skip
        IngestKey.objects.filter(external_id__startswith="api-").delete()
        return {
            "ingest_api_rows_per_s": round(statistics.median(rates)),
            "ingest_api_rows": rows,
            "ingest_duplicates": duplicates,
        }
    finally:
        server.terminate()
        server.wait(30)
