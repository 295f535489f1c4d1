"""Twenty reviewers asking for work at once on PostgreSQL: no slot is handed out twice, no
review is lost (SELECT ... FOR UPDATE SKIP LOCKED)."""

import threading

import pytest
from django.db import connection

from reviews.models import Review, ReviewSlot
from reviews.services.queues import queue_open, review_submit, slot_next
from reviews.services.samples import sample_draw
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_twenty_concurrent_reviewers(population, lead):
    assert connection.vendor == "postgresql"
    reviewers = [UserFactory(username=f"c{n}", roles=["reviewer"]) for n in range(20)]
    sample = sample_draw(actor=lead, name="load", label_kind="preference", strategy="random", n=40)
    queue = queue_open(actor=lead, sample=sample, reviewers=reviewers, overlap=2)
    handed: list[tuple[int, int]] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(len(reviewers))

    def work(reviewer):
        try:
            start.wait()
            while (slot := slot_next(reviewer=reviewer, queue=queue)) is not None:
                with lock:
                    handed.append((slot.pk, reviewer.pk))
                review_submit(reviewer=reviewer, slot=slot, preference="A", ai_correct=True)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(r,)) for r in reviewers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    slot_ids = [slot_id for slot_id, _ in handed]
    assert len(slot_ids) == len(set(slot_ids)) == 80  # every slot once, none twice
    assert Review.objects.count() == 80  # no lost review
    assert not ReviewSlot.objects.exclude(status="done").exists()
    pairs = Review.objects.values_list("sampled_label_id", "reviewer_id")
    assert len(set(pairs)) == 80  # nobody reviewed the same label twice
