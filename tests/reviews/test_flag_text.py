"""Views that read the form directly (the flag's note) get NUL refused before the database sees
it: a 400 naming the field, on PostgreSQL (where it was a 500) and SQLite alike."""

import pytest
from django.test import Client

from reviews.models import PrincipleFlag
from reviews.services.queues import queue_open, slot_next
from reviews.services.samples import sample_draw

pytestmark = pytest.mark.django_db


def test_a_flag_note_with_nul_is_refused_naming_the_field(population, lead, reviewers):
    sample = sample_draw(
        actor=lead, name="s", label_kind="preference", strategy="random", n=2, seed=0
    )
    queue = queue_open(actor=lead, sample=sample, reviewers=reviewers[:1], overlap=1, blind=True)
    slot = slot_next(reviewer=reviewers[0], queue=queue)
    client = Client()
    client.force_login(reviewers[0])
    url = f"/reviews/queues/{queue.pk}/flag/"
    response = client.post(url, {"slot": slot.pk, "note": "ambiguous\x00"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert "note: contains a NUL character (U+0000) at character 10" in response.text
    hostile_name = client.post(url, {"slot": slot.pk, "<b>x</b>": "\x00"})
    assert hostile_name.status_code == 400 and "<b>" not in hostile_name.text
    assert not PrincipleFlag.objects.exists()
    fine = client.post(url, {"slot": slot.pk, "note": "ambiguous"})
    assert fine.status_code in (200, 302) and PrincipleFlag.objects.count() == 1
