"""The ingestion API: label files (multipart upload) and the streaming endpoint.

`POST /api/ingest/<source>/<kind>/` (or `/api/ingest/<source>/` with a `kind` per row) takes a
JSON array or NDJSON (Content-Type application/x-ndjson) of up to CAI_INGEST_MAX_ROWS rows. Valid
rows are written and invalid rows are reported, not written; a row whose (source, id) arrived
before is a duplicate and writes nothing. Service accounts (`manage.py service_account create`)
hold only INGEST_LABELS.
"""

import re

from django.conf import settings
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response

from cai_audit import permissions
from cai_audit.api_base import ApiViewSet
from cai_audit.errors import ImportProblems
from cai_audit.parsers import FormParser, MultiPartParser

from .selectors import judge_get, source_get, version_for_import
from .serializers import IngestResultSerializer, LabelImportResultSerializer, LabelImportSerializer
from .services.imports import labels_import
from .services.stream import CREATED, DUPLICATE, ERROR, batch_rows, labels_ingest

_SEPARATORS = re.compile(r"[\s,]+")


class LabelImportViewSet(ApiViewSet):
    read_permission = permissions.IMPORT_LABELS
    action_permissions = {"create": permissions.IMPORT_LABELS}
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request=LabelImportSerializer, responses={201: LabelImportResultSerializer})
    def create(self, request):
        """Import a file of AI labels. All or nothing: a 400 lists each bad row by number."""
        data = self.validated(LabelImportSerializer)
        upload = data["file"]
        version_number = data.get("version")
        result = labels_import(
            actor=request.user,
            source=source_get(key=data["source"]),
            kind=data["kind"],
            data=upload,
            filename=upload.name,
            fmt=data.get("format"),
            version=version_for_import(constitution=data["constitution"], number=version_number),
            judge=judge_get(name=data["judge"]),
            principle=data["principle"],
            mappings=[m for m in _SEPARATORS.split(data["mappings"]) if m],
        )
        return Response(LabelImportResultSerializer(result).data, status=201)


# The streaming endpoint's body and query, the same with a kind in the path or in each row.
BATCH_SCHEMA = {
    "request": {
        "application/json": {"type": "array", "items": {"type": "object"}},
        "application/x-ndjson": {"type": "string"},
    },
    "responses": {200: IngestResultSerializer},
    "parameters": [
        OpenApiParameter("constitution", str, description="Needed when several exist."),
        OpenApiParameter("version", int, description="Default: the latest published."),
    ],
}


class IngestViewSet(ApiViewSet):
    read_permission = permissions.INGEST_LABELS
    action_permissions = {"create": permissions.INGEST_LABELS}
    parser_classes: list = []  # the body is read as it came (JSON array or NDJSON)

    @extend_schema(
        operation_id="ingest_batch_create",
        **BATCH_SCHEMA,
    )
    def create(self, request, source: str, kind: str | None = None):
        """Send a batch of labels; each row comes back created, duplicate or error."""
        limit = request.META.get("CONTENT_LENGTH") or "0"
        if not limit.isdigit() or int(limit) > settings.CAI_INGEST_MAX_BYTES:
            raise ImportProblems(
                "Nothing was written: the body is too large.",
                problems=[f"the body may hold at most {settings.CAI_INGEST_MAX_BYTES:,} bytes"],
            )
        body = request.stream.read(settings.CAI_INGEST_MAX_BYTES + 1) if request.stream else b""
        content_type = (request.content_type or "").split(";")[0].strip().lower()
        ndjson = content_type in (
            "application/x-ndjson",
            "application/jsonl",
            "application/jsonlines",
        )
        rows = batch_rows(body, ndjson=ndjson)
        number = request.query_params.get("version")
        if number is not None and not number.isdigit():
            raise ImportProblems("Nothing was written.", problems=["version must be a number"])
        results = labels_ingest(
            actor=request.user,
            source=source_get(key=source),
            kind=kind,
            rows=rows,
            version=version_for_import(
                constitution=request.query_params.get("constitution", ""),
                number=int(number) if number else None,
            ),
        )
        counts = {
            status: sum(r.status == status for r in results)
            for status in (CREATED, DUPLICATE, ERROR)
        }
        # Built as plain data (the shape of IngestResultSerializer, which documents it): running
        # a serializer field by field over 10,000 row results cost more than writing them.
        payload = {
            "created": counts[CREATED], "duplicates": counts[DUPLICATE], "errors": counts[ERROR],
            "results": [
                {"row": r.row, "status": r.status, "id": r.id, "label_id": r.label_id,
                 "errors": list(r.errors)}
                for r in results
            ],
        }  # fmt: skip
        return Response(payload, status=200)


class IngestMixedViewSet(IngestViewSet):
    """The same endpoint without a kind in the path: each row names its `kind`."""

    @extend_schema(
        operation_id="ingest_batch_mixed_create",
        **BATCH_SCHEMA,
    )
    def create(self, request, source: str, kind: str | None = None):
        """Send a batch of labels of several kinds (a `kind` in each row)."""
        return super().create(request, source, None)
