"""Error pages never echo input unescaped: whatever a query string holds, a dashboard's 400 page
shows it as text, and every error page is marked for the htmx banner (static/js/app.js)."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboards.scope import ScopeForm
from tests.conftest import logged_in
from tests.dashboards.conftest import audited  # noqa: F401
from tests.dashboards.test_pages import PAGES
from tests.reviews.conftest import lead, reviewers  # noqa: F401

pytestmark = pytest.mark.django_db

XSS = "<script>alert(1)</script>"
# Hostile text around a tag our pages never contain: if it comes back unescaped, the tag shows.
PROBE = "<x-probe onload=alert(1)>"
AROUND = st.text(alphabet="<>&\"'/= abcimgscrptonerlad()1", max_size=30)
FIELDS = [*ScopeForm.base_fields, "outcome", "bin", "reviewer", "a", "b"]


def test_a_script_in_a_filter_is_a_400_page_that_shows_it_as_text(audited, lead):  # noqa: F811
    client = logged_in(lead)
    for name, args in PAGES:
        url = reverse(name, args=args)
        response = client.get(url, {"kind": XSS})
        assert response.status_code == 400, url
        assert response["Content-Type"].startswith("text/html"), url
        body = response.content.decode()
        assert XSS not in body, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body, url
        assert "data-http-error" in body, url


@settings(
    max_examples=40, deadline=None, database=None, derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)  # fmt: skip
@given(page=st.sampled_from(PAGES), field=st.sampled_from(FIELDS), before=AROUND, after=AROUND)
def test_no_filter_value_comes_back_as_markup(audited, lead, page, field, before, after):  # noqa: F811
    name, args = page
    value = before + PROBE + after
    response = logged_in(lead).get(reverse(name, args=args), {field: value})
    assert response.status_code in (200, 400), (field, value, response.status_code)
    assert "<x-probe" not in response.content.decode(), (field, value)


def test_an_htmx_request_for_a_bad_filter_gets_the_error_page_for_the_banner(audited, lead):  # noqa: F811
    response = logged_in(lead).get(
        reverse("dashboards:overview"), {"week": "2024-01-02"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 400
    assert "data-http-error" in response.content.decode()
    assert "A week is given by its Monday" in response.content.decode()


def test_the_server_error_page_renders_without_a_request_and_is_marked_for_the_banner():
    page = render_to_string("500.html")
    assert "data-http-error" in page and "500" in page


def test_the_not_found_and_forbidden_pages_are_marked_for_the_banner(reviewer_client):
    assert "data-http-error" in reviewer_client.get("/nowhere/").content.decode()
    forbidden = reviewer_client.get(reverse("dashboards:overview"))
    assert forbidden.status_code == 403
    assert "data-http-error" in forbidden.content.decode()
