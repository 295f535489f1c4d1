"""htmx answers that are not 2xx still reach the person who asked: an edit conflict (409) and a
form error (400) swap into their form, a refused review shows in the review item, an error page
and a server failure show in the banner, and a hostile filter value is shown as text, never run."""

import re

import pytest
from playwright.sync_api import expect

from constitutions.models import Principle
from reviews.models import Review
from reviews.services.queues import queue_open
from reviews.services.samples import sample_draw
from tests.reviews.conftest import make_labels

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

XSS = "<script>alert(1)</script>"


def open_editor(page, version, code: str):
    page.goto(f"/constitutions/versions/{version.pk}/")
    page.wait_for_function("() => window.htmx")
    card = page.locator("article.principle", has=page.locator("code", has_text=code)).first
    card.get_by_role("link", name="Edit").click()
    form = page.locator("article.editing form")
    expect(form).to_be_visible()
    return form


def test_a_concurrent_principle_edit_shows_the_conflict_notice(
    page, browser, live_server, draft, editor
):
    log_in(page, "editor")
    other = browser.new_context(base_url=live_server.url).new_page()  # a second tab, elsewhere
    log_in(other, "editor")
    mine = open_editor(page, draft, "HARM-01")
    theirs = open_editor(other, draft, "HARM-01")

    theirs.locator("[name=title]").fill("Their title")
    theirs.get_by_role("button", name="Save").click()
    expect(other.locator("article.editing")).to_have_count(0)

    mine.locator("[name=title]").fill("My title")
    with page.expect_response(re.compile(r"/principles/\d+/edit/")) as answer:
        mine.get_by_role("button", name="Save").click()
    assert answer.value.status == 409
    notice = page.locator("article.editing .conflict")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("Edit conflict")
    expect(notice).to_contain_text("Their title")
    expect(page.locator("article.editing [name=title]")).to_have_value("My title")
    principle = Principle.objects.get(version=draft, code="HARM-01", locale="")
    assert principle.title == "Their title"

    # Saving again is a deliberate choice, and it goes through.
    page.locator("article.editing").get_by_role("button", name="Save").click()
    expect(page.locator("article.editing")).to_have_count(0)
    principle.refresh_from_db()
    assert principle.title == "My title"


def test_a_form_error_is_shown_in_the_form(page, draft, editor):
    log_in(page, "editor")
    form = open_editor(page, draft, "HON-01")
    form.locator("[name=code]").fill("not a code")
    with page.expect_response(re.compile(r"/principles/\d+/edit/")) as answer:
        form.get_by_role("button", name="Save").click()
    assert answer.value.status == 400
    expect(page.locator("article.editing .errorlist")).to_contain_text("Use a code like HARM-01.")
    assert not Principle.objects.filter(code="not a code").exists()


def test_a_refused_review_shows_its_reason_in_the_review_item(page, published, lead, reviewers):
    make_labels(published, 8)
    sample = sample_draw(
        actor=lead, name="errors", label_kind="preference", strategy="uncertainty", n=3, seed=1
    )
    queue = queue_open(actor=lead, sample=sample, reviewers=[reviewers[0]], overlap=1)
    log_in(page, "rev0")
    page.goto(f"/reviews/queues/{queue.pk}/")
    page.wait_for_function("() => window.htmx")
    page.keyboard.press("Enter")  # no verdict chosen
    expect(page.locator("#review-item .error")).to_contain_text("Choose A, B, tie or both")
    assert not Review.objects.exists()


def test_an_error_page_and_a_server_failure_show_in_the_banner(page, audited, lead):
    log_in(page, "lead")
    page.goto("/dashboards/by/principle/")
    page.wait_for_function("() => window.htmx")
    banner = page.locator("#http-error")
    expect(banner).to_be_hidden()

    # The dashboard refuses a week that is not a Monday: its 400 page goes to the banner.
    page.evaluate(
        """() => {
          const form = document.querySelector("form.filters");
          const week = document.createElement("input");
          week.type = "hidden"; week.name = "week"; week.value = "2024-01-02";
          form.appendChild(week);
          htmx.trigger(form, "change");
        }"""
    )
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("A week is given by its Monday")
    banner.get_by_role("button", name="Dismiss").click()
    expect(banner).to_be_hidden()

    # A server failure (simulated at the network edge) and a lost connection.
    page.evaluate("document.querySelector('form.filters [name=week]').remove()")
    filtered = re.compile(r"/dashboards/by/principle/\?")
    page.route(filtered, lambda route: route.fulfill(status=502, body="bad gateway"))
    page.select_option("select[name=sample]", str(audited.pk))
    expect(banner).to_contain_text("Something went wrong on the server (HTTP 502)")
    page.unroute(filtered)
    page.route(filtered, lambda route: route.abort())
    page.select_option("select[name=sample]", "")
    expect(banner).to_contain_text("The server could not be reached")


def test_a_hostile_filter_value_is_shown_as_text_and_never_runs(page, audited, lead):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    log_in(page, "lead")
    for path in ("/dashboards/", "/dashboards/time/", "/dashboards/items/"):
        response = page.goto(f"{path}?kind={XSS}")
        assert response.status == 400
        expect(page.locator("[data-http-error]")).to_contain_text(XSS)  # as text
        assert page.locator("main script").count() == 0
    response = page.goto(f"/dashboards/items/?outcome={XSS}")
    assert response.status == 400
    expect(page.locator("[data-http-error]")).to_contain_text("outcome")
    assert page.locator("main script").count() == 0
    page.wait_for_timeout(200)
    assert dialogs == []
