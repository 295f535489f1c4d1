"""Which webhook URLs the worker may POST to, and the POST itself.

Users type webhook URLs in the browser and the worker sends requests to them from inside the
network, so a URL could aim the worker at internal services (a metadata endpoint, an admin port).
An administrator's allow-list, CAI_WEBHOOK_HOSTS, says where it may go. Entries are
`scheme://host[:port]` or a bare `host[:port]` (any scheme); the host `*` means any host whose
addresses are all public (checked when the URL is saved and again before each POST, so a name
that later resolves inside the network is refused too). The default allows any public https host
and http on this machine (local receivers, tests).
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from django.conf import settings

DEFAULT_WEBHOOK_HOSTS = ("https://*", "http://127.0.0.1", "http://localhost", "http://[::1]")
WEBHOOK_TIMEOUT_S = (5, 10)  # connect, read
_DEFAULT_PORTS = {"http": 80, "https": 443}


class WebhookRefused(ValueError):
    """A webhook URL the policy refuses; the message says why (and never repeats the path)."""


@dataclass(frozen=True)
class _Rule:
    scheme: str | None
    host: str
    port: int | None


def _rule(entry: str) -> _Rule | None:
    entry = entry.strip()
    if not entry:
        return None
    scheme, sep, rest = entry.partition("://")
    if not sep:
        scheme, rest = "", entry
    host, port = rest.rstrip("/"), None
    if host.startswith("["):
        inside, _, tail = host[1:].partition("]")
        host, port = inside, tail.removeprefix(":") or None
    elif host.count(":") == 1:
        host, port = host.split(":")
    try:
        port_number = int(port) if port else None
    except ValueError:
        return None  # a malformed entry allows nothing
    return _Rule(scheme=scheme.lower() or None, host=host.lower(), port=port_number)


def _addresses_public(host: str, port: int) -> bool:
    """Whether every address `host` resolves to is a public one (False when it does not
    resolve: nothing is sent to a name we cannot check)."""
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError, ValueError):  # ValueError: a NUL byte in the name
        return False
    addresses = {ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos}
    return bool(addresses) and all(address.is_global for address in addresses)


def webhook_url_check(url: str, *, resolve: bool = True) -> None:
    """Refuse a URL the worker may not POST to: not http(s), credentials in it, a host or port
    not on CAI_WEBHOOK_HOSTS, or (for `*` entries) a host with a non-public address.

    Raises WebhookRefused with the reason."""
    if len(url) > 500:
        raise WebhookRefused("The URL is longer than 500 characters.")
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise WebhookRefused(f"The URL cannot be read ({error}).") from None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise WebhookRefused("Only http and https URLs can receive webhooks.")
    if parts.username is not None or parts.password is not None:
        raise WebhookRefused("Credentials in the URL are not allowed.")
    host = (parts.hostname or "").lower()
    if not host:
        raise WebhookRefused("The URL names no host.")
    port = port if port is not None else _DEFAULT_PORTS[scheme]
    wildcard = False
    for entry in getattr(settings, "CAI_WEBHOOK_HOSTS", DEFAULT_WEBHOOK_HOSTS):
        rule = _rule(entry)
        if rule is None or (rule.scheme and rule.scheme != scheme):
            continue
        if rule.port is not None and rule.port != port:
            continue
        if rule.host == host:
            return
        wildcard = wildcard or rule.host == "*"
    if wildcard and (not resolve or _addresses_public(host, port)):
        return
    shown = f"[{host}]" if ":" in host else host
    if wildcard:
        raise WebhookRefused(
            f"{scheme}://{shown}:{port} is not a public address; an administrator can allow it "
            "in CAI_WEBHOOK_HOSTS."
        )
    raise WebhookRefused(
        f"{scheme}://{shown}:{port} is not on the allowed list (CAI_WEBHOOK_HOSTS); an "
        "administrator can add it."
    )


def webhook_post(url: str, payload: dict) -> None:
    """POST `payload` as JSON, checking the URL again first; no redirects (a redirect could
    lead past the allow-list), a timeout on connect and read.

    Raises WebhookRefused, requests.RequestException (network errors, timeouts) or
    WebhookFailed (an answer that is not 2xx)."""
    webhook_url_check(url)
    response = requests.post(
        url, json=payload, timeout=WEBHOOK_TIMEOUT_S, allow_redirects=False, stream=False
    )
    if not 200 <= response.status_code < 300:
        raise WebhookFailed(f"The receiver answered HTTP {response.status_code}.")


class WebhookFailed(Exception):
    """The receiver answered with a status that is not 2xx."""


def error_scrubbed(error: BaseException, url: str) -> str:
    """The error as the delivery log records it: the webhook URL (whose path is often its
    secret) replaced, wherever the message repeats it or its path."""
    text = f"{type(error).__name__}: {error}"
    parts = urlsplit(url)
    for secret in (url, parts.path + (f"?{parts.query}" if parts.query else ""), parts.query):
        if secret and secret not in ("/", "?"):
            text = text.replace(secret, "<webhook>")
    return text[:2000]
