"""The streaming API: per-row results, idempotency by (source, id) even for concurrent retries,
service-account tokens that can only ingest, and bounded batches."""

import json
import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from rest_framework.test import APIClient

from ingest.models import IngestKey
from ingest.services.stream import batch_rows, labels_ingest
from labeling.models import ItemSet, LabelingRun, LabelTally, PreferenceLabel

URL = "/api/ingest/vllm-batch/preference/"


def rows(start: int, count: int, **extra) -> list[dict]:
    return [
        {"id": f"L{n}", "prompt": f"question {n}", "response_a": f"answer a {n}",
         "response_b": f"answer b {n}", "p_a": 0.75, "principle": "HARM-01", **extra}
        for n in range(start, start + count)
    ]  # fmt: skip


@pytest.fixture
def token(db, source, published):
    out = StringIO()
    call_command("service_account", "create", "prod-pipeline", stdout=out)
    return out.getvalue().strip().splitlines()[-1]


@pytest.fixture
def service(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def post(client, body, content_type="application/json", url=URL):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(url, data=data, content_type=content_type)


def test_a_service_token_ingests_and_reads_nothing(service):
    response = post(service, rows(0, 3))
    assert response.status_code == 200, response.content
    assert response.json()["created"] == 3
    run = LabelingRun.objects.get()
    assert (run.origin, run.total_units, run.source.key) == ("stream", 3, "vllm-batch")
    # (Constitutions are readable by anyone signed in, service accounts included: house policy.)
    reads = (
        "/api/runs/",
        "/api/preference-labels/",
        "/api/items/",
        "/api/item-sets/",
        "/api/gold-labels/",
        "/api/samples/",
        "/api/label-imports/",
    )
    for path in reads:
        assert service.get(path).status_code == 403, path
    assert service.get(URL).status_code == 405
    # Queues list only those assigned to the caller: none.
    queues = service.get("/api/queues/").json()
    assert (queues.get("results", queues) if isinstance(queues, dict) else queues) == []


def test_users_without_ingest_labels_are_refused(reviewer, editor, source, published):
    for user in (reviewer, editor):
        client = APIClient()
        client.force_authenticate(user)
        assert post(client, rows(0, 1)).status_code == 403
    assert post(APIClient(), rows(0, 1)).status_code in (401, 403)
    assert not PreferenceLabel.objects.exists()


def test_a_retried_batch_writes_nothing_twice(service):
    first = post(service, rows(0, 50)).json()
    again = post(service, rows(0, 50) + rows(50, 5)).json()
    assert (first["created"], first["duplicates"]) == (50, 0)
    assert (again["created"], again["duplicates"]) == (5, 50)
    assert {r["status"] for r in again["results"][:50]} == {"duplicate"}
    assert PreferenceLabel.objects.count() == 55 and IngestKey.objects.count() == 55
    run = LabelingRun.objects.get()
    assert run.total_units == 55 and run.item_set.item_count == 55
    assert sum(LabelTally.objects.values_list("labels", flat=True)) == 55
    assert ItemSet.objects.count() == 1


def test_per_row_results_write_valid_rows_and_report_the_rest(service):
    batch = rows(0, 2) + [
        {**rows(2, 1)[0], "p_a": 7},
        {**rows(3, 1)[0], "id": ""},
        "not a row",
        rows(0, 1)[0],  # the same id twice in a batch
    ]
    body = post(service, batch).json()
    statuses = [(r["row"], r["status"]) for r in body["results"]]
    assert statuses == [(1, "created"), (2, "created"), (3, "error"), (4, "error"),
                        (5, "error"), (6, "duplicate")]  # fmt: skip
    assert body["results"][2]["errors"] == ["p_a must be a probability between 0 and 1 (got 7)"]
    assert body["results"][3]["errors"] == [
        "id is required (labels are kept once per source and id)"
    ]
    assert body["results"][4]["errors"] == ["each row must be a JSON object"]
    label = PreferenceLabel.objects.get(pk=body["results"][0]["label_id"])
    assert label.external_id == "L0" and label.p_a == 0.75


def test_ndjson_and_a_kind_per_row(service, guard):
    lines = [json.dumps(r) for r in rows(0, 2, kind="preference")]
    safety = {"id": "S1", "kind": "safety", "prompt": "p", "response": "r", "class": "safe",
              "principle": "HARM-02", "judge": "llama-guard"}  # fmt: skip
    lines.append(json.dumps(safety))
    lines.append("{broken")
    body = post(service, "\n".join(lines), "application/x-ndjson", "/api/ingest/vllm-batch/")
    assert [r["status"] for r in body.json()["results"]] == ["created"] * 3 + ["error"]
    assert sorted(LabelingRun.objects.values_list("task", flat=True)) == ["preference", "safety"]


def test_batches_are_bounded(service, settings):
    settings.CAI_INGEST_MAX_ROWS = 10
    response = post(service, rows(0, 11))
    assert response.status_code == 400
    assert response.json()["problems"] == ["the batch holds 11 rows; the limit is 10"]
    settings.CAI_INGEST_MAX_BYTES = 1000
    response = post(service, rows(0, 10))
    assert response.status_code == 400
    assert "at most 1,000 bytes" in response.json()["problems"][0]
    assert post(service, b'{"not": "a list"}').status_code == 400
    assert not PreferenceLabel.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_identical_batches_write_each_label_once(source, published):
    batch = batch_rows(json.dumps(rows(0, 300)).encode(), ndjson=False)
    barrier = threading.Barrier(2)
    outcomes = []

    def send():
        try:
            barrier.wait()
            results = labels_ingest(
                actor=None, source=source, kind="preference", rows=batch, version=published
            )
            outcomes.append(sorted(r.status for r in results))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(outcomes) == 2
    created = sum(status == "created" for outcome in outcomes for status in outcome)
    assert created == 300
    assert PreferenceLabel.objects.count() == 300 and IngestKey.objects.count() == 300
    assert LabelingRun.objects.get().total_units == 300


@pytest.mark.parametrize("ndjson", [False, True])
def test_rows_that_may_hold_unstorable_text_are_refused(service, ndjson):
    """Rows without a \\u escape skip the walk over every value; those with one, or with nested
    values (an array body), are still walked."""
    deep: object = "x"
    for _ in range(40):
        deep = [deep]
    batch = rows(0, 3)
    batch[1]["response_a"] = "nul \x00 here"
    batch[2]["metadata"] = {"deep": deep}
    if ndjson:
        body = post(service, "\n".join(json.dumps(r) for r in batch), "application/x-ndjson")
    else:
        body = post(service, batch)
    results = body.json()["results"]
    assert [r["status"] for r in results] == ["created", "error", "error"]
    assert "NUL character" in results[1]["errors"][0]
    assert "nested more than 32 levels deep" in results[2]["errors"][0]
    deep_only = rows(3, 1)
    deep_only[0]["metadata"] = {"deep": deep}
    results = post(service, deep_only).json()["results"]  # no escape in the whole body
    assert results[0]["status"] == "error"
    assert "nested more than 32 levels deep" in results[0]["errors"][0]
    assert PreferenceLabel.objects.count() == 1
