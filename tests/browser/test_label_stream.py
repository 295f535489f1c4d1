"""The label stream in Chromium: labels that arrive while the page is open appear without a
reload (htmx polling of the first page), and a hidden tab sends no polling requests."""

import pytest
from playwright.sync_api import expect

from tests.support.external import imported_run, judge_and_source

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_new_labels_appear_and_hidden_tabs_do_not_poll(page, published, researcher):
    judge, source = judge_and_source()
    imported_run(published, judge=judge, source=source, choices="A", humans="A")
    log_in(page, "researcher")
    page.goto(f"/labeling/stream/?source={source.pk}")
    rows = page.locator("#stream-rows tr")
    expect(rows).to_have_count(1)
    imported_run(published, judge=judge, source=source, choices="BB", humans="  ")
    expect(rows).to_have_count(3, timeout=15_000)  # the next poll (every 10 s) brings them
    expect(page.locator("#stream-rows")).to_contain_text(source.key)

    polls = []
    page.on("request", lambda request: "/labeling/stream/" in request.url and polls.append(1))
    page.evaluate("() => Object.defineProperty(document, 'hidden', {get: () => true})")
    page.wait_for_timeout(11_000)
    assert polls == []
