import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from constitutions.models import ConstitutionVersion
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def test_editor_edits_publishes_and_sees_the_highlighted_diff(page, published, editor):
    log_in(page, "editor")
    page.goto(f"/constitutions/versions/{published.pk}/")
    page.get_by_role("button", name="Edit as new draft").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("v2")
    expect(page.locator("h1 .badge")).to_have_text("Draft")

    card = page.locator("article.principle", has=page.locator("code", has_text="HARM-01")).first
    card.get_by_role("link", name="Edit").click()
    form = page.locator("article.editing form")
    expect(form).to_be_visible()  # swapped in by htmx, no page load
    form.locator("[name=critique_request]").fill(
        "Identify how the response breaks HARM-01, including any help with fraud."
    )
    form.get_by_role("button", name="Save").click()
    expect(page.locator("article.editing")).to_have_count(0)
    expect(page.locator("article.principle").first).to_contain_text("help with fraud")

    page.fill("[name=changelog]", "HARM-01 now names fraud.")
    page.get_by_role("button", name=re.compile("Publish v2")).click()
    expect(page.locator(".messages")).to_contain_text("Published v2")

    page.get_by_role("link", name="Diff against v1").click()
    changed = page.locator("article.diff-changed")
    expect(changed).to_have_count(1)
    expect(changed).to_contain_text("HARM-01")
    inserted = changed.locator("ins")
    expect(inserted.first).to_contain_text("including any help with fraud")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "diff.png"), full_page=True)

    v2 = ConstitutionVersion.objects.get(constitution=published.constitution, number=2)
    assert v2.is_published
    assert "fraud" in v2.principles.get(code="HARM-01", locale="").critique_request


def test_reviewer_opening_the_edit_url_gets_403(page, draft, reviewer):
    principle = draft.principles.first()
    log_in(page, "reviewer")
    response = page.goto(f"/constitutions/principles/{principle.pk}/edit/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_contain_text("403")
