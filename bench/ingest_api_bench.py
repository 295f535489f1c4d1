"""The streaming API under load: 4 concurrent clients send 1,000-row batches of preference
labels to a real multi-process server (gunicorn, 4 workers, on the bench PostgreSQL database),
then send every batch again; with `rules`, the same again with that many active Poisson review
rules on the source, for ingest_rules_overhead (rows/s without rules / with). Used by
bench/ingest_bench.py (run that one)."""

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


RULE_PREFIX = "ingest-bench rule"


def rules_set(source_key: str, count: int, rate: float = 0.05) -> None:
    """Pause the bench's earlier rules; make `count` active Poisson review rules (rate 5%, overlap
    2) on the source, with filters of the kinds rules use: source, principles, domains, a
    confidence cap, none."""
    from django.contrib.auth import get_user_model

    from automation.models import AutomationRule
    from automation.services.rules import rule_create
    from labeling.models import LabelSource

    AutomationRule.objects.filter(name__startswith=RULE_PREFIX).update(paused=True)
    if not count:
        return
    users = get_user_model().objects
    admin = users.filter(username="bench-admin").first() or users.create_superuser(
        "bench-admin", "bench@example.org", "bench-password-not-used"
    )
    reviewers = [users.get_or_create(username=f"bench-rev{n}")[0] for n in range(2)]
    source = LabelSource.objects.get(key=source_key)
    filters = [
        {"sources": [source.pk]},
        {"principle_codes": ["HARM-01", "HARM-02"], "sources": [source.pk]},
        {"domains": ["medical"], "sources": [source.pk]},
        {"sources": [source.pk]},
        {},
    ]
    for n in range(count):
        rule_create(
            actor=admin, name=f"{RULE_PREFIX} {time.time_ns()} {n}", label_kind="preference",
            mode="poisson", rate=rate, label_filter=filters[n % len(filters)],
            confidence_max=0.95 if n == 3 else None, reviewers=reviewers, overlap=2,
        )  # fmt: skip


def _measure(url: str, token: str, *, rows: int, repeats: int, rules: int) -> tuple[float, int]:
    """Median rows/s of `repeats` sends of `rows` rows, and the duplicates written by resending."""
    from labeling.models import PreferenceLabel

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
        print(f"api ({rules} rules) repeat {repeat}: {rows:,} rows in {elapsed:.2f} s "
              f"({rows / elapsed:,.0f} rows/s); resent: {again} created, {dup} duplicates",
              flush=True)  # fmt: skip
    return statistics.median(rates), duplicates


def measure_api(*, rows: int, repeats: int, source: str, rules: int = 0) -> dict:
    from django.contrib.auth import get_user_model

    from ingest.models import IngestKey
    from ingest.services.accounts import service_account_create

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
        # Warm-up, not measured: each worker's first requests import views and connect.
        warm = int(time.time() * 1000)
        _send_all(url, token, [json.dumps([_row(n, warm) for n in range(k * 100, k * 100 + 100)])
                               .encode() for k in range(4 * WORKERS)])  # fmt: skip
        figures = {}
        for with_rules in (0, rules) if rules else (0,):
            rules_set(source, with_rules)
            rate, duplicates = _measure(url, token, rows=rows, repeats=repeats, rules=with_rules)
            if with_rules:
                figures["ingest_api_rows_per_s_with_rules"] = round(rate)
                figures["ingest_rules_overhead"] = round(figures["ingest_api_rows_per_s"] / rate, 2)
                figures["ingest_rules"] = with_rules
            else:
                figures["ingest_api_rows_per_s"] = round(rate)
            figures["ingest_duplicates"] = figures.get("ingest_duplicates", 0) + duplicates
        rules_set(source, 0)
        IngestKey.objects.filter(external_id__startswith="api-").delete()
        return {**figures, "ingest_api_rows": rows}
    finally:
        server.terminate()
        server.wait(30)
