"""The response of the one progress partial (templates/partials/progress.html)."""

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django_htmx.http import HttpResponseStopPolling

from .progress import Progress

PARTIAL = "partials/progress.html"


def progress_response(
    request: HttpRequest,
    *,
    progress: Progress,
    progress_url: str,
    every_s: int = 2,
    aria: str = "Work done",
    details: str | None = None,
    context: dict | None = None,
    reload_when_finished: bool = False,
) -> HttpResponse:
    """Render the progress partial. While the work runs the partial polls `progress_url` every
    `every_s` seconds; once it is finished an htmx request gets status 286, which stops the
    polling (the final partial is still swapped in), and with `reload_when_finished` an
    HX-Refresh too, so a page whose results appear only at the end reloads once."""
    page = progress_context(
        progress=progress, progress_url=progress_url, every_s=every_s, aria=aria, details=details
    )
    html = render_to_string(PARTIAL, {**(context or {}), **page}, request=request)
    if not (progress.finished and request.htmx):
        return HttpResponse(html)
    response = HttpResponseStopPolling(html)
    if reload_when_finished:
        response["HX-Refresh"] = "true"
    return response


def progress_context(
    *,
    progress: Progress,
    progress_url: str,
    every_s: int = 2,
    aria: str = "Work done",
    details: str | None = None,
) -> dict:
    """The context a full page passes to `{% include "partials/progress.html" %}`. Raises
    nothing."""
    return {
        "progress": progress,
        "progress_url": progress_url,
        "progress_every": every_s,
        "progress_aria": aria,
        "progress_details": details,
    }
