"""Every error under /api/ is JSON with a message: the resolver's 404, an unhandled exception's
500, a 405, and a database that stays busy (409, "try again", on the pages too)."""

import pytest
from django.test import Client

from tests.conftest import logged_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def crashing_urls(settings):
    settings.ROOT_URLCONF = "tests.api.urls"


def json_detail(response) -> str:
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    detail = response.json()["detail"]
    assert isinstance(detail, str) and detail
    return detail


def test_an_unknown_api_address_is_a_json_404(admin):
    response = logged_in(admin).get("/api/no-such-endpoint/")
    assert response.status_code == 404
    assert "Not found" in json_detail(response)
    page = logged_in(admin).get("/no-such-page/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")


def test_an_unhandled_exception_in_the_api_is_a_json_500(admin, crashing_urls):
    client = Client(raise_request_exception=False)
    client.force_login(admin)
    for url in ("/api/test-crash/", "/api/test-plain-crash/"):
        response = client.get(url)
        assert response.status_code == 500, url
        detail = json_detail(response)
        assert "Server error" in detail and "bug" not in detail  # no internals leak


def test_a_method_not_allowed_is_a_json_405(admin, crashing_urls):
    client = logged_in(admin)
    drf = client.put("/api/constitutions/", {}, content_type="application/json")
    plain = client.post("/api/test-get-only/")
    for response in (drf, plain):
        assert response.status_code == 405
        assert "not allowed" in json_detail(response)
    assert plain["Allow"] == "GET"


def test_a_busy_database_is_a_409_asking_to_try_again(admin, crashing_urls):
    client = logged_in(admin)
    api = client.get("/api/test-busy/")
    assert api.status_code == 409 and "Try again" in json_detail(api)
    page = client.get("/pages/test-busy/")
    assert page.status_code == 409 and b"Try again" in page.content
