"""The doors to label import (command, API) call one service, within the caps."""

import gzip
import json
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from cai_audit.errors import ImportProblems
from ingest.services.imports import labels_import
from labeling.models import PreferenceLabel

PAIR = {"prompt": "q", "response_a": "a", "response_b": "b", "choice": "A", "principle": "HARM-01"}


def jsonl(count: int) -> bytes:
    return "".join(json.dumps({**PAIR, "id": str(n)}) + "\n" for n in range(count)).encode()


def test_the_command_imports_with_mappings(tmp_path, source, published):
    path = tmp_path / "labels.jsonl.gz"
    path.write_bytes(gzip.compress(jsonl(3).replace(b"HARM-01", b"OLD-7")))
    out = StringIO()
    call_command("import_labels", str(path), "--source", "vllm-batch", "--kind", "preference",
                 "--map", "OLD-7=HARM-02", stdout=out)  # fmt: skip
    assert "Imported 3 preference labels" in out.getvalue()
    assert set(PreferenceLabel.objects.values_list("principle_code", flat=True)) == {"HARM-02"}


def test_the_command_names_bad_rows(tmp_path, source, published):
    path = tmp_path / "labels.jsonl"
    path.write_bytes(jsonl(2).replace(b'"A"', b'"Z"', 1))
    with pytest.raises(CommandError, match="line 1: choice must be A, B or tie"):
        call_command("import_labels", str(path), "--source", "vllm-batch", "--kind", "preference")


def test_the_api_imports_a_file_for_whoever_may_import_labels(editor, reviewer, source, published):
    client = APIClient()
    client.force_authenticate(reviewer)
    upload = SimpleUploadedFile("l.jsonl", jsonl(2))
    payload = {"file": upload, "source": "vllm-batch", "kind": "preference"}
    assert client.post("/api/label-imports/", payload, format="multipart").status_code == 403
    editor.groups.clear()
    from django.contrib.auth.models import Permission

    editor.user_permissions.add(Permission.objects.get(codename="import_labels"))
    client.force_authenticate(type(editor).objects.get(pk=editor.pk))  # no cached permissions
    upload = SimpleUploadedFile("l.jsonl", jsonl(2))
    payload = {"file": upload, "source": "vllm-batch", "kind": "preference"}
    response = client.post("/api/label-imports/", payload, format="multipart")
    assert response.status_code == 201, response.content
    assert response.json()["count"] == 2
    bad = {**payload, "file": SimpleUploadedFile("l.jsonl", b'{"prompt": 1}\n')}
    response = client.post("/api/label-imports/", bad, format="multipart")
    assert response.status_code == 400
    assert response.json()["problems"][0].startswith("line 1:")


def test_a_gzip_bomb_is_refused_as_it_unpacks(settings, source, published):
    settings.CAI_IMPORT_LABELS_MAX_BYTES = 1_000_000
    bomb = gzip.compress(b"\n" * 20_000_000)
    assert len(bomb) < 100_000
    with pytest.raises(ImportProblems) as refused:
        labels_import(actor=None, source=source, kind="preference", data=bomb, version=published)
    assert "decompresses to more than" in refused.value.problems[0]


def test_too_many_rows_are_refused(settings, source, published):
    settings.CAI_IMPORT_LABELS_MAX_ROWS = 3
    with pytest.raises(ImportProblems) as refused:
        labels_import(
            actor=None, source=source, kind="preference", data=jsonl(4), version=published
        )
    assert refused.value.problems == ["the file holds more than 3 rows; the limit is 3"]
    assert not PreferenceLabel.objects.exists()


def test_a_too_long_text_is_refused_by_row(source, published):
    data = json.dumps({**PAIR, "rationale": "x" * 20_001}).encode()
    with pytest.raises(ImportProblems) as refused:
        labels_import(actor=None, source=source, kind="preference", data=data, version=published)
    assert refused.value.problems == ["line 1: rationale is longer than 20,000 characters"]


def test_people_without_import_labels_are_refused(reviewer, source, published):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        labels_import(
            actor=reviewer, source=source, kind="preference", data=jsonl(1), version=published
        )


def test_a_broken_parquet_file_is_refused_with_a_reason(source, published):
    with pytest.raises(ImportProblems) as refused:
        labels_import(
            actor=None, source=source, kind="preference", data=b"PAR1 not really",
            filename="l.parquet", version=published,
        )  # fmt: skip
    assert refused.value.message == "Nothing was imported: the file is not a valid Parquet file."
