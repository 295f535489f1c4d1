"""Error pages that views build themselves.

A message often quotes the request (a filter value, an unknown choice), so it goes through a
template with autoescape on, never into an `HttpResponse` string: `HttpResponseBadRequest(f"...")`
is how a `?kind=<script>` link became a reflected XSS on every dashboard page. For htmx requests
the page is marked `data-http-error`, and static/js/app.js shows it as a banner.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def bad_request(request: HttpRequest, message: str) -> HttpResponse:
    """The 400 page, saying what was wrong."""
    return render(request, "400.html", {"message": message}, status=400)
