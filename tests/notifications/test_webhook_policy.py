"""Webhook URLs are checked at the edge: http(s) only, no credentials, and only hosts on
CAI_WEBHOOK_HOSTS (default: any public https host and http on this machine), so users cannot aim
the worker at internal services."""

import pytest

from notifications.webhooks import WebhookRefused, error_scrubbed, webhook_url_check

HOSTILE = [
    "file:///etc/passwd",
    "ftp://127.0.0.1/x",
    "gopher://127.0.0.1:6379/_FLUSHALL",
    "javascript:alert(1)",
    "http://example.com/hook",  # plain http off this machine
    "http://169.254.169.254/latest/meta-data/",  # cloud metadata
    "https://169.254.169.254/latest/meta-data/",
    "https://10.0.0.7/admin",
    "https://192.168.1.1/",
    "https://[fd00::1]/",
    "https://localhost/hook",  # https to this machine is not on the default list
    "https://user:secret@hooks.example.com/x",
    "http://127.0.0.1:99999/",
    "http://[::1/",
    "https:///nohost",
    "http://127.0.0.1.nip.io/",
    "https://" + "a" * 500 + ".com/",
    "https://a\x00b.example/",
    "https://" + "a" * 70 + ".example/",  # a label IDNA refuses
]


@pytest.mark.parametrize("url", HOSTILE)
def test_hostile_urls_are_refused(url, settings):
    with pytest.raises(WebhookRefused):
        webhook_url_check(url)


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8080/hook", "http://localhost/x", "http://[::1]:9000/y"]
)
def test_loopback_http_is_allowed_by_default(url):
    webhook_url_check(url)


def test_an_administrator_can_allow_a_named_host_and_port(settings):
    settings.CAI_WEBHOOK_HOSTS = ["https://hooks.internal:8443", "chat.internal"]
    webhook_url_check("https://hooks.internal:8443/services/x")
    webhook_url_check("http://chat.internal/x")
    with pytest.raises(WebhookRefused, match="not on the allowed list"):
        webhook_url_check("https://hooks.internal/services/x")  # port 443
    with pytest.raises(WebhookRefused, match="not on the allowed list"):
        webhook_url_check("http://127.0.0.1/x")  # the default list was replaced


def test_the_wildcard_allows_only_public_addresses(settings):
    settings.CAI_WEBHOOK_HOSTS = ["https://*"]
    with pytest.raises(WebhookRefused, match="not a public address"):
        webhook_url_check("https://127.0.0.1/x")
    webhook_url_check("https://8.8.8.8/x")  # a public literal needs no lookup


def test_the_refusal_never_repeats_the_secret_path():
    with pytest.raises(WebhookRefused) as refused:
        webhook_url_check("http://example.com/services/T0/B0/secret-token")
    assert "secret-token" not in str(refused.value)


def test_errors_are_scrubbed_of_the_url_and_its_path():
    url = "http://127.0.0.1:9/services/secret?token=abc"
    error = ConnectionError(f"Max retries exceeded with url: /services/secret?token=abc ({url})")
    text = error_scrubbed(error, url)
    assert "secret" not in text and "abc" not in text and text.startswith("ConnectionError")
