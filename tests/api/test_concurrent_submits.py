"""One reviewer's review submitted many times at once (a double click, a retry, the page and a
script together): one review is kept and every other submit gets a clear 400 or 409, never a
500, on PostgreSQL and on the embedded SQLite default (a file, as in production)."""

import sqlite3
import threading

import pytest
from django.db import connection
from django.test import Client
from rest_framework.authtoken.models import Token

from cai_audit.errors import DomainError
from reviews.models import Review
from reviews.services.queues import queue_open, review_submit, slot_next
from reviews.services.samples import sample_draw

pytestmark = pytest.mark.django_db(transaction=True)

SUBMITS = 8


def _claimed(population, lead, reviewers):
    sample = sample_draw(actor=lead, name="race", label_kind="preference", strategy="random", n=4)
    queue = queue_open(actor=lead, sample=sample, reviewers=reviewers[:1], overlap=1)
    return queue, slot_next(reviewer=reviewers[0], queue=queue)


def test_concurrent_submits_of_one_review_keep_one_and_refuse_the_rest_clearly(
    population, lead, reviewers
):
    queue, slot = _claimed(population, lead, reviewers)
    reviewer = reviewers[0]
    token = Token.objects.create(user=reviewer).key
    statuses: list[tuple[str, int]] = []
    failures: list[BaseException] = []
    start = threading.Barrier(SUBMITS)
    # A server has loaded its URLs and views before requests race; so does this test.
    warm = Client().get(f"/api/queues/{queue.pk}/", HTTP_AUTHORIZATION=f"Token {token}")
    assert warm.status_code == 200

    def submit(n: int) -> None:
        client = Client(raise_request_exception=False)
        try:
            if n % 2:
                client.force_login(reviewer)
                start.wait()
                response = client.post(
                    f"/reviews/queues/{queue.pk}/submit/", {"slot": slot.pk, "preference": "A"}
                )
                statuses.append(("page", response.status_code))
            else:
                start.wait()
                response = client.post(
                    f"/api/queues/{queue.pk}/review/", {"slot": slot.pk, "preference": "A"},
                    content_type="application/json", HTTP_AUTHORIZATION=f"Token {token}",
                )  # fmt: skip
                statuses.append(("api", response.status_code))
                assert response["Content-Type"].startswith("application/json")
        except BaseException as failure:  # noqa: BLE001 - reported below
            failures.append(failure)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(SUBMITS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures
    assert len(statuses) == SUBMITS
    kept = [s for s in statuses if s in (("page", 302), ("api", 201))]
    assert len(kept) == 1, statuses
    assert all(code in (302, 201, 400, 409) for _, code in statuses), statuses
    assert Review.objects.filter(slot=slot).count() == 1


def test_racing_writers_queue_for_the_lock_instead_of_failing(population, lead, reviewers):
    """The service itself, sixteen threads released at once: on SQLite each transaction takes
    the write lock when it begins, so the losers wait, then see the slot done (DomainError).
    With SQLite's default (deferred) transactions most of them failed with "database is
    locked" instead."""
    queue, slot = _claimed(population, lead, reviewers)
    outcomes: list[object] = []
    start = threading.Barrier(16)

    def submit() -> None:
        try:
            start.wait()
            outcomes.append(review_submit(reviewer=reviewers[0], slot=slot, preference="A"))
        except BaseException as failure:  # noqa: BLE001 - reported below
            outcomes.append(failure)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    refused = [o for o in outcomes if isinstance(o, DomainError)]
    kept = [o for o in outcomes if isinstance(o, Review)]
    assert len(kept) == 1 and len(refused) == 15, outcomes
    assert Review.objects.filter(slot=slot).count() == 1


def test_a_write_that_waits_past_the_busy_timeout_is_a_409(population, lead, reviewers):
    """SQLite only: another process holds the write lock for longer than the busy timeout."""
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL waits on row locks; there is no busy timeout to run out")
    queue, slot = _claimed(population, lead, reviewers)
    token = Token.objects.create(user=reviewers[0]).key
    options = connection.settings_dict["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    connection.close()
    connection.settings_dict["OPTIONS"] = {**options, "timeout": 0.2}
    locker = sqlite3.connect(connection.settings_dict["NAME"])
    try:
        locker.execute("BEGIN IMMEDIATE")
        response = Client(raise_request_exception=False).post(
            f"/api/queues/{queue.pk}/review/", {"slot": slot.pk, "preference": "A"},
            content_type="application/json", HTTP_AUTHORIZATION=f"Token {token}",
        )  # fmt: skip
    finally:
        locker.rollback()
        locker.close()
        connection.close()
        connection.settings_dict["OPTIONS"] = options
    assert response.status_code == 409
    assert "Try again" in response.json()["detail"]
    assert not Review.objects.filter(slot=slot).exists()
