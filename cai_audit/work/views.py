"""The pages' side of queued work: the response of the one progress partial
(templates/partials/progress.html), a single-task job's page, and the buttons that act on queued
work (retry, cancel, requeue)."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django_htmx.http import HttpResponseStopPolling

from cai_audit.errors import DomainError

from .jobs import QueuedJob, job_progress
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


def job_page(
    request: HttpRequest,
    *,
    job: QueuedJob,
    template: str,
    progress_url: str,
    aria: str,
    details: str,
    made_url: str | None,
) -> HttpResponse:
    """A single-task job's page (`template`, with `job` and the progress context); for htmx the
    progress partial alone, which sends htmx on to `made_url` (what the job made) once there is
    one. A failed job's partial shows why (`details` holds its Retry button)."""
    arguments = {"progress": job_progress(job), "progress_url": progress_url, "aria": aria,
                 "details": details}  # fmt: skip
    if request.htmx:
        response = progress_response(request, **arguments, context={"job": job})
        if made_url:
            response["HX-Redirect"] = made_url
        return response
    return render(request, template, {"job": job, **progress_context(**arguments)})


def work_action_response(
    request: HttpRequest,
    action: Callable[[], Any],
    *,
    done: str | Callable[[Any], str],
    to: str,
    level: int = messages.SUCCESS,
) -> HttpResponse:
    """Do a button's action on queued work (a service call) and go back to `to`: a refusal
    (DomainError) shows its message as an error, success shows `done` (or `done(result)`) at
    `level`. Other errors propagate."""
    try:
        result = action()
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.add_message(request, level, done(result) if callable(done) else done)
    return redirect(to)
