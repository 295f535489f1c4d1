import pytest
from playwright.sync_api import expect

from reviews.models import Adjudication, GoldLabel, Review, ReviewQueue
from tests.browser.conftest import log_in
from tests.reviews.conftest import make_labels

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def review_with_keys(page, queue, keys: list[str], *, open_page: bool = True) -> None:
    if open_page:
        page.goto(f"/reviews/queues/{queue.pk}/")
    page.wait_for_function("window.htmx !== undefined")  # keys before htmx would post natively
    page.evaluate("window.__noReload = true")
    for key in keys:
        item = page.locator("#review-item")
        slot = item.get_attribute("data-slot")
        page.keyboard.press(key)
        page.keyboard.press("Enter")
        expect(page.locator("#review-item")).not_to_have_attribute("data-slot", slot)
    expect(page.locator("#review-item")).to_contain_text("Nothing left for you")
    assert page.evaluate("window.__noReload") is True  # every item came without a page load


def test_two_reviewers_work_a_blind_queue_by_keyboard_and_a_disagreement_becomes_gold(
    page,
    browser,
    live_server,
    published,
    lead,
    reviewers,
):
    make_labels(published, 30)
    lead_page = browser.new_context(base_url=live_server.url).new_page()
    log_in(lead_page, "lead")
    lead_page.goto("/reviews/samples/new/")
    lead_page.fill("input[name=name]", "kb")
    lead_page.select_option("select[name=strategy]", "hybrid")
    lead_page.fill("input[name=n]", "5")
    lead_page.fill("input[name=seed]", "2")
    lead_page.select_option("select[name=measure]", "position_stuck")
    lead_page.get_by_role("button", name="Draw").click()
    expect(lead_page.locator(".messages")).to_contain_text("of 30 labels")
    lead_page.fill("input[name=overlap]", "2")
    lead_page.select_option("select[name=reviewers]", label=["rev0", "rev1"])
    expect(lead_page.locator("input[name=blind]")).to_be_checked()
    lead_page.get_by_role("button", name="Open queue").click()
    expect(lead_page.locator(".messages")).to_contain_text("is open")
    queue = ReviewQueue.objects.get()
    assert (queue.overlap, queue.blind, queue.sample.strategy) == (2, True, "hybrid")

    log_in(page, "rev0")
    page.goto(f"/reviews/queues/{queue.pk}/")
    page.keyboard.press("?")
    expect(page.locator("#key-help")).to_be_visible()
    page.keyboard.press("?")
    review_with_keys(page, queue, ["1"] * 5)
    # U takes the last one back; it comes up again and is answered again.
    page.keyboard.press("u")
    expect(page.locator("#review-item form#review-form")).to_be_visible()
    review_with_keys(page, queue, ["1"], open_page=False)
    assert Review.objects.filter(reviewer__username="rev0").count() == 5

    second = browser.new_context(base_url=live_server.url).new_page()
    log_in(second, "rev1")
    review_with_keys(second, queue, ["1", "2", "1", "2", "1"])
    assert Review.objects.count() == 10
    assert Adjudication.objects.count() == 2 and GoldLabel.objects.count() == 3

    lead_page.goto("/reviews/adjudication/")
    first = lead_page.locator("article.adjudication").first
    first.locator("select[name=ai_correct]").select_option("false")
    first.locator("select[name=preference]").select_option("B")
    first.locator("textarea[name=rationale]").fill("B refuses the harmful request.")
    first.get_by_role("button", name="Decide").click()
    expect(lead_page.locator(".messages")).to_contain_text("gold")
    assert GoldLabel.objects.filter(source="adjudication").count() == 1
    assert Adjudication.objects.filter(status="open").count() == 1
