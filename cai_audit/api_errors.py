"""Every API error is JSON with a `detail` message; domain errors keep their HTTP status.

DRF's exception handler covers what its views raise. `ApiJsonErrorsMiddleware` covers the rest
under /api/: a URL that matches no endpoint (404), an unhandled exception (500) and any other
error page Django or a middleware answers in HTML. A SQLite database that stays locked past its
busy timeout is a 409 ("try again"), on the pages and the API alike, never a 500.
"""

import logging
from http import HTTPStatus

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import DomainError, EditConflict

logger = logging.getLogger("django.request")

API_PREFIX = "/api/"
BUSY_MESSAGE = "The database is busy with another change; nothing was saved. Try again in a moment."
SERVER_ERROR_MESSAGE = (
    "Server error: the request could not be completed. It has been logged; if it keeps "
    "happening, tell an administrator."
)


def database_is_busy(error: BaseException) -> bool:
    """SQLite's "database is locked" (or "busy"): another connection held the write lock for
    longer than the busy timeout."""
    message = str(error).lower()
    return isinstance(error, OperationalError) and (
        "database is locked" in message or "database is busy" in message
    )


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        body = {"detail": exc.message}
        if exc.problems:
            body["problems"] = exc.problems
        conflict_serializer = getattr(context.get("view"), "conflict_serializer", None)
        if isinstance(exc, EditConflict) and conflict_serializer is not None:
            serializer = conflict_serializer(exc.current)
            if serializer is not None:
                body["current"] = serializer.data
        return Response(body, status=exc.status_code)
    if database_is_busy(exc):
        return Response({"detail": BUSY_MESSAGE}, status=HTTPStatus.CONFLICT)
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    return drf_exception_handler(exc, context)


def _is_json(response) -> bool:
    return response.get("Content-Type", "").split(";")[0].strip().endswith("json")


def _detail(request, status: int) -> str:
    if status == HTTPStatus.NOT_FOUND:
        return "Not found: no API endpoint or object at this address."
    if status == HTTPStatus.METHOD_NOT_ALLOWED:
        return f"Method {request.method} is not allowed here."
    if status >= 500:
        return SERVER_ERROR_MESSAGE
    try:
        return f"{HTTPStatus(status).phrase}."
    except ValueError:
        return "The request could not be completed."


class ApiJsonErrorsMiddleware:
    """Error answers under /api/ as JSON `{"detail": ...}`; a locked SQLite database as a 409
    everywhere. Place it right after SecurityMiddleware, so that it sees the answers of every
    middleware below it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.path.startswith(API_PREFIX)
            and response.status_code >= 400
            and not _is_json(response)
            and not getattr(response, "streaming", False)
            # DRF answered it in the format the client negotiated (e.g. the browsable API).
            and not hasattr(response, "accepted_renderer")
        ):
            body = JsonResponse(
                {"detail": _detail(request, response.status_code)}, status=response.status_code
            )
            for header in ("Allow", "Retry-After", "WWW-Authenticate"):
                if header in response:
                    body[header] = response[header]
            return body
        return response

    def process_exception(self, request, exception):
        """Only the busy database: every other exception takes Django's path (logged, 500)."""
        if not database_is_busy(exception):
            return None
        logger.warning("Database busy: %s %s", request.method, request.path)
        if request.path.startswith(API_PREFIX):
            return JsonResponse({"detail": BUSY_MESSAGE}, status=HTTPStatus.CONFLICT)
        page = render_to_string("409.html", {"message": BUSY_MESSAGE})
        return HttpResponse(page, status=HTTPStatus.CONFLICT)
