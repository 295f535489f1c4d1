"""Import files read with bounded memory: a cap on the bytes sent and on the bytes they unpack to.

A gzip file of 100 KB can unpack to 100 MB of text, so the cap applies to what the parser reads,
not to the size on disk. Every importer (items, red-team suites, constitution YAML) opens its
input here, from the page, the API and the management commands alike, and reads it as a stream:
a file that crosses the limit is refused as soon as it does, before it is held in memory.

Requests are capped too (`RequestSizeLimitMiddleware`): Django streams uploaded files to disk
without a limit of its own, before any view runs.
"""

import gzip
import io
import json
import os
import zlib
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.http import HttpResponse

from .errors import ImportProblems

GZIP_MAGIC = b"\x1f\x8b"
ImportSource = bytes | bytearray | memoryview | str | os.PathLike | IO[bytes] | Any


def size_label(size: int) -> str:
    return f"{size:,} bytes" if size < 1_000_000 else f"{size / 1_000_000:.4g} MB"


def too_large(*, limit: int, decompressed: bool = False, size: int | None = None) -> ImportProblems:
    if decompressed:
        what = f"the file decompresses to more than {size_label(limit)}"
    elif size is not None:
        what = f"the file is {size_label(size)}"
    else:
        what = f"the file is larger than {size_label(limit)}"
    return ImportProblems(
        "Nothing was imported: the file is too large.",
        problems=[f"{what}; the limit is {size_label(limit)}"],
    )


@contextmanager
def request_body_limit(*, upload_field: str = "") -> Iterator[None]:
    """Around reading an import's API body: a JSON or form body over Django's
    DATA_UPLOAD_MAX_MEMORY_SIZE is refused with that limit named (not a bare "Bad Request")."""
    try:
        yield
    except RequestDataTooBig:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        hint = f"; send the file as a multipart upload in `{upload_field}`" if upload_field else ""
        raise ImportProblems(
            "Nothing was imported: the request is too large.",
            problems=[f"a JSON or form body may hold at most {size_label(limit)}{hint}"],
        ) from None


def upload_size_check(upload, *, limit: int) -> None:
    """For forms and serializers: refuse an upload larger than `limit` before it is read (a
    gzipped one is checked again, on what it unpacks to, as it is read)."""
    if upload is not None and upload.size > limit:
        raise ValidationError(
            f"The file is {size_label(upload.size)}; the limit is {size_label(limit)}."
        )


class _Capped(io.RawIOBase):
    """Reads `inner` and raises ImportProblems once more than `limit` bytes came through."""

    def __init__(self, inner: IO[bytes], *, limit: int, decompressed: bool):
        self.inner, self.limit, self.decompressed = inner, limit, decompressed
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        wanted = min(len(buffer), self.limit + 1 - self.count)
        try:
            data = self.inner.read(max(wanted, 1))
        except (OSError, EOFError, zlib.error) as error:
            if not self.decompressed:
                raise
            raise ImportProblems(
                "Nothing was imported: the file is not a valid gzip file.",
                problems=[f"after {size_label(self.count)} unpacked: {error}"],
            ) from None
        self.count += len(data)
        if self.count > self.limit:
            raise too_large(limit=self.limit, decompressed=self.decompressed)
        buffer[: len(data)] = data
        return len(data)


def _source_size(source: Any) -> int | None:
    size = getattr(source, "size", None)  # Django's UploadedFile
    if isinstance(size, int):
        return size
    try:
        return os.fstat(source.fileno()).st_size
    except (AttributeError, OSError, io.UnsupportedOperation):
        return None


@contextmanager
def import_stream(source: ImportSource, *, limit: int) -> Iterator[io.BufferedReader]:
    """A binary stream of the file's content, gunzipped when it starts with the gzip magic bytes.
    `source`: bytes, text, a path, an uploaded file or an open binary file. Raises ImportProblems
    when the file, or what it unpacks to, holds more than `limit` bytes; a size known up front
    (an upload's, a file's) is checked before anything is read."""
    with ExitStack() as stack:
        if isinstance(source, str):
            source = source.encode("utf-8", "surrogatepass")
        if isinstance(source, bytes | bytearray | memoryview):
            raw_file: IO[bytes] = io.BytesIO(source)
            size: int | None = len(source)
        elif isinstance(source, os.PathLike):
            raw_file = stack.enter_context(open(source, "rb"))  # noqa: SIM115
            size = _source_size(raw_file)
        else:
            raw_file = source
            if getattr(source, "seekable", lambda: False)():
                source.seek(0)
            size = _source_size(source)
        if size is not None and size > limit:
            raise too_large(limit=limit, size=size)
        raw = io.BufferedReader(_Capped(raw_file, limit=limit, decompressed=False))
        if raw.peek(2)[:2] != GZIP_MAGIC:
            yield raw
            return
        unpacked = stack.enter_context(gzip.GzipFile(fileobj=raw, mode="rb"))
        yield io.BufferedReader(_Capped(unpacked, limit=limit, decompressed=True))


def read_capped(source: ImportSource, *, limit: int) -> bytes:
    """The whole (unpacked) content as bytes, refused past `limit` bytes."""
    with import_stream(source, limit=limit) as stream:
        return stream.read()


class RequestSizeLimitMiddleware:
    """Refuses a request whose declared body is larger than CAI_REQUEST_MAX_BYTES with 413, before
    anything reads it: Django writes uploaded files to disk with no limit of its own, and the CSRF
    check reads the whole body of a form post before the view can look at the file's size."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.CAI_REQUEST_MAX_BYTES
        if length > limit:
            message = f"The request is {size_label(length)}; the limit is {size_label(limit)}."
            if request.path.startswith("/api/"):
                body = json.dumps({"detail": message})
                return HttpResponse(body, status=413, content_type="application/json")
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
