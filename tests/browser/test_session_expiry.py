"""A reviewer's verdict survives a lost session: the submit answers 401 (not a redirect into the
page), the banner links to the login page, and after logging in again the kept verdict is
submitted for the same slot and saved exactly once."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reviews.models import Review, ReviewSlot
from reviews.services.queues import queue_open
from reviews.services.samples import sample_draw
from tests.reviews.conftest import make_labels

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def queue(published, lead, reviewers):
    make_labels(published, 8)
    sample = sample_draw(
        actor=lead, name="expiry", label_kind="preference", strategy="uncertainty", n=3, seed=1
    )
    return queue_open(actor=lead, sample=sample, reviewers=[reviewers[0]], overlap=1)


def test_a_verdict_given_after_the_session_expired_is_saved_once_after_logging_in(page, queue):
    workspace = f"/reviews/queues/{queue.pk}/"
    log_in(page, "rev0")
    page.goto(workspace)
    page.wait_for_function("() => window.htmx")
    slot = page.locator("#review-item").get_attribute("data-slot")

    page.context.clear_cookies()  # the session is gone (and the CSRF cookie with it)
    page.keyboard.press("2")
    with page.expect_response(re.compile(r"/submit/$")) as answer:
        page.keyboard.press("Enter")
    assert answer.value.status == 401
    banner = page.locator("#http-error")
    expect(banner).to_contain_text("Your session expired — log in again")
    expect(banner).to_contain_text("Your verdict is kept")
    expect(page.locator("#review-item")).to_have_attribute("data-slot", slot)  # page untouched
    assert not Review.objects.exists()

    banner.get_by_role("link", name="Log in again").click()
    page.wait_for_url(re.compile(r"/accounts/login/\?next="))
    page.fill("#id_username", "rev0")
    page.fill("#id_password", "pass-word-1")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(re.escape(workspace) + "$"))

    # The kept verdict goes in by itself; the next item arrives.
    expect(page.get_by_test_id("kept-verdict")).to_contain_text("is saved")
    expect(page.locator("#review-item")).not_to_have_attribute("data-slot", slot)
    review = Review.objects.get()
    assert (review.slot_id, review.preference, review.reviewer.username) == (int(slot), "B", "rev0")
    assert ReviewSlot.objects.get(pk=slot).status == "done"

    page.reload()  # nothing is kept any more: no second submission
    page.wait_for_function("() => window.htmx")
    page.wait_for_timeout(300)
    assert Review.objects.count() == 1


def test_a_kept_verdict_for_an_item_that_is_no_longer_theirs_is_dropped(page, queue, reviewers):
    log_in(page, "rev0")
    page.goto(f"/reviews/queues/{queue.pk}/")
    page.wait_for_function("() => window.htmx")
    slot = int(page.locator("#review-item").get_attribute("data-slot"))
    page.context.clear_cookies()
    page.keyboard.press("1")
    page.keyboard.press("Enter")
    expect(page.locator("#http-error")).to_contain_text("Your session expired")

    # Meanwhile the claim ran out and another reviewer took the item.
    ReviewSlot.objects.filter(pk=slot).update(reviewer=reviewers[1], claimed_at=timezone.now())
    page.locator("#http-error").get_by_role("link", name="Log in again").click()
    page.fill("#id_username", "rev0")
    page.fill("#id_password", "pass-word-1")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(rf"/reviews/queues/{queue.pk}/$"))
    expect(page.get_by_test_id("kept-verdict")).to_contain_text("was not saved")
    assert not Review.objects.exists()
    expect(page.locator("#review-item")).not_to_have_attribute("data-slot", str(slot))
