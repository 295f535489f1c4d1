"""Load on the review queue: 20 reviewers asking for the next item and submitting, for 60 s.

    .venv/bin/python bench/review_load.py [--reviewers 20] [--seconds 60] [--think-ms 0]

The app runs under gunicorn (sync workers) on PostgreSQL; each simulated reviewer is a thread
with its own API token doing POST /api/queues/<id>/next/ then POST /api/queues/<id>/review/,
back to back by default (no reading time: the worst case). Server-side time per request comes
from gunicorn's access log (%(L)s: the worker's handling time); the client's wall-clock latency,
which adds the wait for a free worker, is recorded too. Afterwards the database is checked for
slots handed to two reviewers and for reviews that a 201 promised but that are missing. Writes
review_p95_ms, review_errors, double_assignments, lost_reviews (and more) to
bench/results/sampling.json.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests
from _django import ROOT, setup, write_results

PORT = 8765


def prepare(reviewer_count: int):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from rest_framework.authtoken.models import Token
    from sampling_bench import generate

    from cai_audit.roles import roles_sync
    from labeling.filters import LabelFilter
    from labeling.models import LabelingRun
    from reviews.services.queues import queue_open
    from reviews.services.samples import sample_draw

    roles_sync()
    run = LabelingRun.objects.filter(item_set__name="bench labels 100000").first()
    run = run or generate("bench labels 100000", 100_000)
    User = get_user_model()
    reviewers = []
    for n in range(reviewer_count):
        user, _ = User.objects.get_or_create(username=f"load-reviewer-{n}")
        user.groups.add(Group.objects.get(name="reviewer"))
        reviewers.append(user)
    tokens = [Token.objects.get_or_create(user=user)[0].key for user in reviewers]
    sample = sample_draw(
        actor=None, name=f"load {time.time():.0f}", label_kind="preference", strategy="random",
        n=5000, seed=int(time.time()), where=LabelFilter(runs=(run.pk,)),
    )  # fmt: skip
    queue = queue_open(actor=None, sample=sample, reviewers=reviewers, overlap=2)
    return queue, tokens


def reviewer_loop(
    base: str, queue_id: int, token: str, deadline: float, record: dict, think_s: float
) -> None:
    session = requests.Session()
    session.headers["Authorization"] = f"Token {token}"

    def post(url, **kwargs):
        started = time.perf_counter()
        response = session.post(url, timeout=30, **kwargs)
        record["client_ms"].append((time.perf_counter() - started) * 1000)
        return response

    while time.monotonic() < deadline:
        claim = post(f"{base}/api/queues/{queue_id}/next/")
        if claim.status_code == 204:
            break
        if claim.status_code != 200:
            record["errors"].append(claim.status_code)
            continue
        slot = claim.json()["slot"]
        record["claims"].append(slot)
        time.sleep(think_s)  # a reviewer reads the item before answering
        done = post(
            f"{base}/api/queues/{queue_id}/review/",
            json={"slot": slot, "preference": "AB"[slot % 2], "seconds_spent": think_s},
        )
        if done.status_code == 201:
            record["reviews"] += 1
        else:
            record["errors"].append(done.status_code)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reviewers", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument(
        "--think-ms", type=float, default=0, help="pause between claim and submit (0: no pause)"
    )
    args = parser.parse_args()
    setup()
    queue, tokens = prepare(args.reviewers)
    log = Path(tempfile.mkdtemp()) / "access.log"
    env = {**os.environ, "DEBUG": "false", "SECRET_KEY": "bench-only", "ALLOWED_HOSTS": "127.0.0.1",
           "DB_CONN_MAX_AGE": "60"}  # fmt: skip
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "cai_audit.wsgi", "-b", f"127.0.0.1:{PORT}",
         "-k", "sync", "-w", str(args.workers),
         "--access-logfile", str(log), "--access-logformat", "%(m)s %(U)s %(s)s %(L)s"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{PORT}"
    try:
        for _ in range(100):
            try:
                requests.get(f"{base}/accounts/login/", timeout=5)
                break
            except requests.RequestException:
                time.sleep(0.2)
        log.write_text("")  # measure only the load
        records = [{"claims": [], "reviews": 0, "errors": [], "client_ms": []} for _ in tokens]
        deadline = time.monotonic() + args.seconds
        threads = [
            threading.Thread(
                target=reviewer_loop,
                args=(base, queue.pk, token, deadline, record, args.think_ms / 1000),
            )
            for token, record in zip(tokens, records, strict=True)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        server.terminate()
        server.wait(timeout=20)

    from reviews.models import Review

    timings = [
        float(line.split()[3]) * 1000
        for line in log.read_text().splitlines()
        if line.startswith("POST /api/queues/")
    ]
    # A slot handed to two different reviewers is a double assignment (the same reviewer getting
    # their own unfinished claim back is not).
    holders: dict[int, set[int]] = {}
    for number, record in enumerate(records):
        for slot in record["claims"]:
            holders.setdefault(slot, set()).add(number)
    promised = sum(record["reviews"] for record in records)
    stored = Review.objects.filter(slot__queue=queue).count()
    errors = sum(len(record["errors"]) for record in records)
    p95 = statistics.quantiles(timings, n=100)[94] if len(timings) >= 20 else float("nan")
    client = [ms for record in records for ms in record["client_ms"]]
    client_p95 = statistics.quantiles(client, n=100)[94] if len(client) >= 20 else float("nan")
    figures = {
        "review_p95_ms": round(p95, 1),
        "review_median_ms": round(statistics.median(timings), 1) if timings else None,
        "review_requests": len(timings),
        "review_reviews": promised,
        "review_errors": errors,
        "double_assignments": sum(1 for reviewers in holders.values() if len(reviewers) > 1),
        "lost_reviews": promised - stored,
        "review_client_p95_ms": round(client_p95, 1),
        "review_think_ms": args.think_ms,
        "review_reviewers": args.reviewers,
        "review_seconds": args.seconds,
    }
    print(figures)
    write_results("sampling", figures)


if __name__ == "__main__":
    main()
