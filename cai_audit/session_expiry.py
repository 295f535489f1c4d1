"""What a signed-out browser gets back when it posts from a page it opened while signed in.

Without this, `login_required` answers an htmx request with a 302 to the login page: htmx follows
it, swaps the login form into the middle of the page, nothing is saved, and the `?next=` names the
POST endpoint, so logging in lands on a 405. Instead:

- an htmx request from an anonymous user gets a 401 with a small page fragment (marked
  `data-http-error data-session-expired`) linking to the login page with `?next=` the page the
  user is on (htmx sends it as HX-Current-URL); static/js/app.js shows it, and the review page
  keeps the pending verdict and submits it again after the login.
  A 403 for an anonymous htmx request counts too: once the cookies are gone, CSRF refuses the
  post before `login_required` is reached.
- a plain (no-JavaScript) form post from an anonymous user still goes to the login page, but
  `?next=` becomes the page the form was on (the Referer), which can be opened with GET.
"""

from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme

SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")


def _same_site_path(request: HttpRequest, url: str | None) -> str | None:
    """The path and query of `url` if it points at this site, else None."""
    if not url or not url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _is_login_redirect(response: HttpResponse, login_path: str) -> bool:
    return response.status_code == 302 and urlsplit(response.get("Location", "")).path == login_path


def login_url(request: HttpRequest, next_path: str | None) -> str:
    url = resolve_url(settings.LOGIN_URL)
    return f"{url}?{urlencode({'next': next_path})}" if next_path else url


class SessionExpiryMiddleware:
    """401 (not a redirect) for htmx requests from a signed-out browser; see the module docs.

    Placed after AuthenticationMiddleware (it reads request.user)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is None or user.is_authenticated:
            return response
        login_path = resolve_url(settings.LOGIN_URL)
        if request.path == login_path:
            return response
        if request.headers.get("HX-Request") == "true":
            if _is_login_redirect(response, login_path) or response.status_code == 403:
                return self._expired(request)
            return response
        if request.method not in SAFE_METHODS and _is_login_redirect(response, login_path):
            # The POST endpoint cannot be opened with GET after the login: go back to the page
            # the form was on, or to the start page.
            back = _same_site_path(request, request.headers.get("Referer"))
            response["Location"] = login_url(request, back)
        return response

    def _expired(self, request: HttpRequest) -> HttpResponse:
        next_path = _same_site_path(request, request.headers.get("HX-Current-URL"))
        body = render_to_string(
            "401.html", {"login_url": login_url(request, next_path)}, request=request
        )
        response = HttpResponse(body, status=401)
        # Nothing of this belongs in the element that asked; app.js shows it as a banner.
        response["HX-Reswap"] = "none"
        response["Cache-Control"] = "no-store"
        return response
