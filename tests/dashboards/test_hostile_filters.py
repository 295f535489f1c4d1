"""Whatever a query string holds, a dashboard answers 200 or a 400 that names the filter, never
a 500: out-of-range numbers and dates, malformed values and every combination of them, on every
page and every API endpoint."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboards.scope import ScopeForm
from dashboards.views import ITEM_FILTERS
from tests.conftest import logged_in
from tests.dashboards.test_pages import PAGES

pytestmark = pytest.mark.django_db

API = ["overview", "breakdown", "principles/HARM-01", "time", "versions", "reviewers", "items"]
FIELDS = [*ScopeForm.base_fields, *ITEM_FILTERS, "page", "a", "b", "by", "download", "table"]
HOSTILE = st.sampled_from([
    "", "0", "-1", "1", "2", "9" * 30, str(2**31), str(2**63), str(-(2**63) - 1), "1e309",
    "nan", "inf", "-0", "1.5", "0x10", " 1 ", "１", "9999-12-27", "9999-12-31", "0001-01-01",
    "0001-01-03", "2026-02-30", "10000-01-01", "2026-11-30", "2026-W48", "preference",
    "critique", "verdict", "agree", "disagree", "reviewed", "stuck", "A", "tie", "violation",
    "csv", "json", "overall", "principle", "week", "sample", "\x00", "a\x00b", "x" * 5000,
    "<script>alert(1)</script>", "' OR 1=1 --", "%", "_", "\\", "é", "\ud7ff", "😀",
])  # fmt: skip
QUERIES = st.dictionaries(st.sampled_from(FIELDS), HOSTILE, max_size=6)
FUZZ = settings(
    max_examples=60, derandomize=True, deadline=None, database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)  # fmt: skip


def _not_a_server_error(response, url: str, query: dict) -> None:
    assert response.status_code in (200, 400, 404), (url, query, response.status_code)
    if response.status_code == 400:
        assert response.content, (url, query)


@FUZZ
@given(page=st.sampled_from(PAGES), query=QUERIES)
def test_no_filter_value_makes_a_dashboard_page_fail(audited, lead, page, query):
    name, args = page
    url = reverse(name, args=args)
    _not_a_server_error(logged_in(lead).get(url, query), url, query)


@FUZZ
@given(endpoint=st.sampled_from(API), query=QUERIES)
def test_no_filter_value_makes_an_agreement_api_call_fail(audited, lead, endpoint, query):
    url = f"/api/agreement/{endpoint}/"
    response = logged_in(lead).get(url, query)
    _not_a_server_error(response, url, query)
    assert response["Content-Type"] == "application/json", (url, query)


@pytest.mark.parametrize(
    "query",
    [
        {"week": "9999-12-27"},
        {"labeled_from": "0001-01-01", "labeled_to": "9999-12-31"},
        {"sample": str(2**63)},
        {"version": "9" * 30},
        {"critic": str(2**63)},
    ],
)
def test_out_of_range_filters_are_a_400_naming_the_filter(audited, lead, query):
    for url in (reverse("dashboards:overview"), "/api/agreement/overview/"):
        response = logged_in(lead).get(url, query)
        assert response.status_code == 400, (url, query)
        assert next(iter(query)) in response.content.decode(), (url, query)
