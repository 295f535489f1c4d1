"""A signed-out browser posting from a page gets an answer it can act on: htmx requests get a 401
with a login link back to the page they came from (not a redirect that htmx would swap into the
page), and a plain form post is sent to log in with `?next=` the page, not the POST endpoint."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from cai_audit.roles import REVIEW_LEAD, REVIEWER
from reviews.models import Review
from reviews.services.queues import queue_open, slot_next
from reviews.services.samples import sample_draw
from tests.factories import UserFactory
from tests.reviews.conftest import make_labels

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
SITE = "http://testserver"  # the test client's host


@pytest.fixture
def reviewers(db):
    return [UserFactory(username=f"reviewer{n}", roles=[REVIEWER]) for n in range(2)]


@pytest.fixture
def queue(published, reviewers):
    lead = UserFactory(username="queue-lead", roles=[REVIEW_LEAD])
    make_labels(published, 8)
    sample = sample_draw(
        actor=lead, name="expiry", label_kind="preference", strategy="uncertainty", n=3, seed=1
    )
    return queue_open(actor=lead, sample=sample, reviewers=[reviewers[0]], overlap=1)


def login_next(url: str) -> str | None:
    parts = urlsplit(url)
    assert parts.path == reverse("login"), url
    return parse_qs(parts.query).get("next", [None])[0]


def expired_client(user, *, keep_csrf_cookie: bool) -> Client:
    """A browser that was logged in as `user`, whose session is gone now."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get(reverse("reviews:queues"))  # a page: sets the CSRF cookie
    Session.objects.all().delete()
    if not keep_csrf_cookie:
        client.cookies.clear()
    return client


def submit(client, queue, slot, **headers):
    token = client.cookies["csrftoken"].value if "csrftoken" in client.cookies else "none"
    return client.post(
        reverse("reviews:submit", args=[queue.pk]),
        {"slot": slot.pk, "preference": "A"},
        headers={"X-CSRFToken": token, **headers},
    )


@pytest.mark.parametrize("keep_csrf_cookie", [True, False], ids=["session-row-gone", "no-cookies"])
def test_an_htmx_post_from_an_expired_session_is_a_401_linking_back_to_the_page(
    queue, reviewers, keep_csrf_cookie
):
    slot = slot_next(reviewer=reviewers[0], queue=queue)
    client = expired_client(reviewers[0], keep_csrf_cookie=keep_csrf_cookie)
    workspace = reverse("reviews:workspace", args=[queue.pk])
    response = submit(client, queue, slot, **HTMX, **{"HX-Current-URL": SITE + workspace})
    assert response.status_code == 401
    assert response["HX-Reswap"] == "none"
    body = response.content.decode()
    assert "data-session-expired" in body and "Your session expired" in body
    href = body.split('href="')[1].split('"')[0].replace("&amp;", "&")
    assert login_next(href) == workspace
    assert not Review.objects.exists()


def test_the_login_link_never_points_at_another_site(queue, reviewers):
    slot = slot_next(reviewer=reviewers[0], queue=queue)
    client = expired_client(reviewers[0], keep_csrf_cookie=True)
    response = submit(client, queue, slot, **HTMX, **{"HX-Current-URL": "https://evil.example/x"})
    assert response.status_code == 401
    href = response.content.decode().split('href="')[1].split('"')[0]
    assert login_next(href) is None


def test_a_plain_post_from_an_expired_session_logs_in_back_to_the_page(queue, reviewers):
    slot = slot_next(reviewer=reviewers[0], queue=queue)
    client = expired_client(reviewers[0], keep_csrf_cookie=True)
    workspace = reverse("reviews:workspace", args=[queue.pk])
    response = submit(client, queue, slot, Referer=SITE + workspace)
    assert response.status_code == 302
    assert login_next(response["Location"]) == workspace  # a page, not the POST endpoint
    # With no (or a foreign) Referer: the login page's own default, never another site.
    response = submit(client, queue, slot, Referer="https://evil.example/")
    assert login_next(response["Location"]) is None


def test_a_signed_out_page_load_still_redirects_to_log_in(queue):
    workspace = reverse("reviews:workspace", args=[queue.pk])
    response = Client().get(workspace)
    assert response.status_code == 302
    assert login_next(response["Location"]) == workspace


def test_a_signed_in_users_refusal_stays_a_403(queue, reviewers):
    client = Client()
    client.force_login(reviewers[1])  # not a reviewer of this queue
    response = client.get(reverse("reviews:workspace", args=[queue.pk]), headers=HTMX)
    assert response.status_code == 403
