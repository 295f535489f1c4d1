"""The label import page and the category table page."""

import json

from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from ingest.models import CategoryMap
from labeling.models import PreferenceLabel
from tests.conftest import logged_in

ROW = {"prompt": "q", "response_a": "a", "response_b": "b", "choice": "B", "principle": "HON-01"}


def _granted(user, *codenames):
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return logged_in(type(user).objects.get(pk=user.pk))


def test_the_import_page_imports_and_lists_bad_rows(editor, source, published):
    client = _granted(editor, "import_labels")
    good = SimpleUploadedFile("l.jsonl", (json.dumps(ROW) + "\n").encode())
    form = {"source": "vllm-batch", "kind": "preference", "file": good}
    response = client.post("/ingest/import/", form)
    assert response.status_code == 302
    assert PreferenceLabel.objects.get().choice == "B"
    bad = SimpleUploadedFile("l.jsonl", b'{"prompt": "<b>x</b>", "choice": "A"}\n')
    response = client.post("/ingest/import/", {**form, "file": bad})
    assert response.status_code == 400
    assert "line 1: " in response.content.decode()
    assert "<b>x</b>" not in response.content.decode()


def test_the_import_page_needs_import_labels(reviewer_client, source):
    assert reviewer_client.get("/ingest/import/").status_code == 403


def test_the_category_page_edits_a_sources_table(editor, source):
    client = _granted(editor, "manage_sources")
    assert client.get("/ingest/sources/vllm-batch/categories/").status_code == 200
    form = {
        "category_map-TOTAL_FORMS": "1", "category_map-INITIAL_FORMS": "0",
        "category_map-0-code": "S1", "category_map-0-harm_category": "violent-crime",
        "category_map-0-verdict": "violation",
    }  # fmt: skip
    response = client.post("/ingest/sources/vllm-batch/categories/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert CategoryMap.objects.get(source=source).harm_category == "violent-crime"
