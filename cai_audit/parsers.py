"""Request parsers of the API (DRF's, plus a check that every value in the body can be stored),
and a middleware that makes the same check on query strings and form posts.

DRF's CharField refuses NUL, but JSONField, DictField and ListField contents, related-field
lookups (slugs) and unpaired surrogates (`"\\ud800"` in JSON) reach the database unchecked: on
PostgreSQL that is a server error, on SQLite a value that PostgreSQL would refuse. Checking the
parsed body here covers every endpoint and field at once, so a new serializer cannot forget it;
the error names the field like a serializer's validation error does. These are the default
parsers (REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]); a view that picks its own parsers picks them
from here (tests/cai_audit/test_parsers.py checks every API view).
"""

import json
import re

from django.http import HttpResponse, QueryDict
from rest_framework import parsers
from rest_framework.exceptions import ParseError, ValidationError

from .text import MAX_DEPTH, path_label, storable_text_problems

_REPORTED = 20


def body_check(data) -> None:
    """Raise a 400 ValidationError naming each field whose value cannot be stored."""
    if isinstance(data, QueryDict):  # a form field given once is one value, not a list
        data = {key: values[0] if len(values) == 1 else values for key, values in data.lists()}
    errors: dict[str, list[str]] = {}
    for path, message in storable_text_problems(data, max_depth=MAX_DEPTH):
        if path and isinstance(data, dict):
            field, where = str(path[0]), path_label(path[1:])
        else:
            field, where = "non_field_errors", path_label(path)
        errors.setdefault(field, []).append(f"{where}: {message}" if where else message)
        if sum(map(len, errors.values())) >= _REPORTED:
            break
    if errors:
        raise ValidationError(errors)


class StorableDataParser(parsers.BaseParser):
    """Mixin: check the parsed data before any view or serializer sees it."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            result = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("The request body is nested too deeply.") from None
        body_check(result.data if isinstance(result, parsers.DataAndFiles) else result)
        return result


class JSONParser(StorableDataParser, parsers.JSONParser):
    pass


class FormParser(StorableDataParser, parsers.FormParser):
    pass


class MultiPartParser(StorableDataParser, parsers.MultiPartParser):
    pass


DEFAULT = [JSONParser, FormParser, MultiPartParser]


class StorableParametersMiddleware:
    """Refuses (400) a query string or form post holding text the database cannot store (NUL).

    Form CharFields refuse NUL themselves, but filters and views that read request.GET or
    request.POST directly hand it to the database: a server error on PostgreSQL, stored on
    SQLite. Lone surrogates cannot arrive this way (Django decodes invalid UTF-8 as U+FFFD).
    API bodies are checked by the parsers above; here only their query strings are. Runs in
    process_view, after the CSRF check has read the form.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view, args, kwargs):
        api = request.path.startswith("/api/")
        sources = [request.GET]
        if not api and request.method == "POST" and request.content_type in _FORM_TYPES:
            sources.append(request.POST)
        for source in sources:
            try:
                body_check(source)
            except ValidationError as error:
                return _refusal(error.detail, api=api)
        return None


_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
_PLAIN_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")


def _refusal(detail: dict, *, api: bool) -> HttpResponse:
    if api:
        return HttpResponse(json.dumps(detail), status=400, content_type="application/json")
    # Name a field only when its name is plain (no input is echoed into a page).
    lines = [
        f"{field if _PLAIN_NAME.match(field) else 'a field'}: {message}"
        for field, messages in detail.items()
        for message in messages
    ]
    text = "The request was refused: " + "; ".join(lines)
    return HttpResponse(text, status=400, content_type="text/plain; charset=utf-8")
