"""Signing in: the login page and the token endpoint stop answering password guesses, API tokens
expire and can be rotated, and the API's schema and docs need a login."""

import time
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "pass-word-1"  # tests.factories.UserFactory


@pytest.fixture
def alice(db):
    return UserFactory(username="alice")


@pytest.fixture
def few_failures(settings):
    settings.CAI_LOGIN_MAX_FAILURES = 3
    settings.CAI_LOGIN_WINDOW_S = 60


def login(client: Client, username: str, password: str, **headers):
    return client.post(
        reverse("login"), {"username": username, "password": password}, headers=headers
    )


def test_the_login_page_stops_checking_passwords_after_repeated_failures(alice, few_failures):
    client = Client()
    for _ in range(3):
        assert login(client, "alice", "wrong").status_code == 200
    refused = login(client, "alice", PASSWORD)  # even the right password, while blocked
    assert refused.status_code == 429
    assert "Too many failed sign-ins" in refused.content.decode()
    assert "_auth_user_id" not in client.session


def test_guessing_other_usernames_from_one_address_is_blocked_too(alice, few_failures):
    client = Client()
    for name in ("bob", "carol", "dave"):
        login(client, name, "wrong")
    assert login(client, "alice", PASSWORD).status_code == 429
    # Another address may still sign in as alice: her name was not the one guessed at.
    assert login(Client(REMOTE_ADDR="10.0.0.9"), "alice", PASSWORD).status_code == 302


def test_one_username_is_protected_across_addresses(alice, few_failures):
    for n in range(3):
        login(Client(REMOTE_ADDR=f"10.0.1.{n}"), "alice", "wrong")
    assert login(Client(REMOTE_ADDR="10.0.2.1"), "alice", PASSWORD).status_code == 429


def test_a_forged_forwarded_for_header_does_not_reset_the_count(alice, few_failures):
    client = Client()
    for n in range(3):
        login(client, f"user{n}", "wrong", **{"X-Forwarded-For": f"203.0.113.{n}"})
    blocked = login(client, "alice", PASSWORD, **{"X-Forwarded-For": "198.51.100.7"})
    assert blocked.status_code == 429


def test_behind_a_trusted_proxy_the_forwarded_address_counts(alice, few_failures, settings):
    settings.CAI_NUM_PROXIES = 1
    client = Client()  # every request comes from the proxy's address
    for n in range(3):
        login(client, f"user{n}", "wrong", **{"X-Forwarded-For": "203.0.113.5"})
    other = login(client, "alice", PASSWORD, **{"X-Forwarded-For": "198.51.100.7"})
    assert other.status_code == 302  # a different client behind the same proxy


def test_the_block_lifts_when_the_window_ends(alice, settings):
    settings.CAI_LOGIN_MAX_FAILURES = 2
    settings.CAI_LOGIN_WINDOW_S = 1
    client = Client()
    login(client, "alice", "wrong")
    login(client, "alice", "wrong")
    assert login(client, "alice", PASSWORD).status_code == 429
    time.sleep(1.2)
    assert login(client, "alice", PASSWORD).status_code == 302


def test_a_successful_sign_in_forgets_the_usernames_failures(alice, few_failures):
    client = Client()
    login(client, "alice", "wrong")
    login(client, "alice", "wrong")
    assert login(client, "alice", PASSWORD).status_code == 302
    other = Client(REMOTE_ADDR="10.0.3.1")
    login(other, "alice", "wrong")
    login(other, "alice", "wrong")
    assert login(other, "alice", PASSWORD).status_code == 302


def token_post(client: APIClient, username: str, password: str):
    return client.post(
        "/api/auth/token/", {"username": username, "password": password}, format="json"
    )


def test_the_token_endpoint_is_rate_limited_per_client(alice, settings):
    settings.CAI_AUTH_THROTTLE_RATE = "3/min"
    client = APIClient()
    for _ in range(3):
        assert token_post(client, "alice", PASSWORD).status_code == 200
    throttled = token_post(client, "alice", PASSWORD)
    assert throttled.status_code == 429 and "detail" in throttled.json()
    assert token_post(APIClient(REMOTE_ADDR="10.0.0.2"), "alice", PASSWORD).status_code == 200


def test_failed_token_requests_block_the_login_page_too(alice, few_failures):
    client = APIClient()
    for _ in range(3):
        assert token_post(client, "alice", "wrong").status_code == 400
    refused = token_post(client, "alice", PASSWORD)
    assert refused.status_code == 429 and "Too many failed sign-ins" in refused.json()["detail"]
    assert login(Client(), "alice", PASSWORD).status_code == 429


def test_a_token_works_until_it_expires_then_answers_401(alice, settings):
    settings.CAI_API_TOKEN_TTL_HOURS = 2
    issued = token_post(APIClient(), "alice", PASSWORD).json()
    assert issued["expires_at"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {issued['token']}")
    assert client.get("/api/constitutions/").status_code == 200
    Token.objects.filter(key=issued["token"]).update(
        created=Token.objects.get().created - timedelta(hours=3)
    )
    expired = client.get("/api/constitutions/")
    assert expired.status_code == 401
    assert "expired" in expired.json()["detail"] and expired["WWW-Authenticate"] == "Token"
    fresh = token_post(APIClient(), "alice", PASSWORD).json()["token"]
    assert fresh != issued["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {fresh}")
    assert client.get("/api/constitutions/").status_code == 200


def test_asking_again_returns_the_same_valid_token(alice):
    first = token_post(APIClient(), "alice", PASSWORD).json()["token"]
    assert token_post(APIClient(), "alice", PASSWORD).json()["token"] == first


def test_tokens_never_expire_with_a_ttl_of_zero(alice, settings):
    settings.CAI_API_TOKEN_TTL_HOURS = 0
    issued = token_post(APIClient(), "alice", PASSWORD).json()
    assert issued["expires_at"] is None
    Token.objects.update(created=Token.objects.get().created - timedelta(days=3650))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {issued['token']}")
    assert client.get("/api/constitutions/").status_code == 200


def test_rotating_gives_a_new_key_and_kills_the_old_one(alice):
    old = token_post(APIClient(), "alice", PASSWORD).json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {old}")
    rotated = client.post("/api/auth/token/rotate/")
    assert rotated.status_code == 200
    new = rotated.json()["token"]
    assert new != old
    assert client.get("/api/constitutions/").status_code == 401
    client.credentials(HTTP_AUTHORIZATION=f"Token {new}")
    assert client.get("/api/constitutions/").status_code == 200


def test_rotating_needs_a_signed_in_user():
    assert APIClient().post("/api/auth/token/rotate/").status_code == 401


def test_the_schema_and_docs_need_a_login(alice):
    anonymous = Client()
    assert anonymous.get("/api/schema/").status_code in (401, 403)
    for url in ("/api/docs/", "/api/redoc/"):
        response = anonymous.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    client = Client()
    client.force_login(alice)
    assert client.get("/api/schema/").status_code == 200
    assert client.get("/api/docs/").status_code == 200
    token = token_post(APIClient(), "alice", PASSWORD).json()["token"]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/schema/").status_code == 200
