import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from constitutions.selectors import version_export_yaml

pytestmark = pytest.mark.django_db


def api(user=None, token=False) -> APIClient:
    client = APIClient()
    if user is not None and token:
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    elif user is not None:
        client.force_authenticate(user)
    return client


def test_anonymous_requests_are_refused_with_json(published):
    response = api().get("/api/constitutions/")
    assert response.status_code in (401, 403)
    assert "detail" in response.json()


def test_reviewer_reads_with_a_token_but_cannot_write(reviewer, published):
    client = api(reviewer, token=True)
    listed = client.get("/api/constitutions/")
    assert listed.status_code == 200
    assert (
        listed.json()["count"] == 1 and listed.json()["results"][0]["name"] == "Test constitution"
    )
    principle = published.principles.first()
    for method, url, body in [
        ("post", "/api/constitutions/", {"name": "Mine"}),
        ("post", f"/api/versions/{published.pk}/fork/", {}),
        ("patch", f"/api/principles/{principle.pk}/", {"title": "x", "lock_version": 1}),
        ("post", "/api/release-tags/", {"version": published.pk, "name": "m"}),
    ]:
        response = getattr(client, method)(url, body, format="json")
        assert response.status_code == 403, url


def test_editor_creates_edits_publishes_and_tags(editor):
    client = api(editor, token=True)
    constitution = client.post(
        "/api/constitutions/", {"name": "API one", "owners": ["editor"]}, format="json"
    ).json()
    assert constitution["owners"] == ["editor"]
    version = client.get(f"/api/versions/?constitution={constitution['id']}").json()["results"][0]
    created = client.post(
        "/api/principles/",
        {
            "version": version["id"],
            "code": "HARM-01",
            "title": "No harm",
            "category": "harmlessness",
            "critique_request": "Find harm.",
            "revision_instruction": "Remove harm.",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    principle = created.json()
    patched = client.patch(
        f"/api/principles/{principle['id']}/",
        {"lock_version": principle["lock_version"], "title": "No serious harm"},
        format="json",
    )
    assert patched.status_code == 200 and patched.json()["lock_version"] == 2
    published = client.post(
        f"/api/versions/{version['id']}/publish/", {"changelog": "v1"}, format="json"
    )
    assert published.json()["status"] == "published"
    tagged = client.post(
        "/api/release-tags/", {"version": version["id"], "name": "model-a"}, format="json"
    )
    assert tagged.status_code == 201
    detail = client.get(f"/api/versions/{version['id']}/").json()
    assert detail["tags"] == ["model-a"] and detail["principles"][0]["title"] == "No serious harm"


def test_writes_to_a_published_version_get_409(editor, published):
    principle = published.principles.first()
    response = api(editor).patch(
        f"/api/principles/{principle.pk}/", {"lock_version": 1, "title": "x"}, format="json"
    )
    assert response.status_code == 409
    assert "published" in response.json()["detail"]
    assert api(editor).delete(f"/api/versions/{published.pk}/").status_code == 409


def test_stale_lock_version_gets_409_with_the_current_record(editor, second_editor, draft):
    principle = draft.principles.first()
    url = f"/api/principles/{principle.pk}/"
    assert (
        api(editor).patch(url, {"lock_version": 1, "title": "First"}, format="json").status_code
        == 200
    )
    response = api(second_editor).patch(url, {"lock_version": 1, "title": "Second"}, format="json")
    assert response.status_code == 409
    assert response.json()["current"]["title"] == "First"
    assert response.json()["current"]["updated_by"] == "editor"


def test_invalid_fields_get_400_with_field_errors(editor, draft):
    response = api(editor).post(
        "/api/principles/",
        {
            "version": draft.pk,
            "code": "bad",
            "title": "t",
            "category": "harmlessness",
            "critique_request": "c",
            "revision_instruction": "r",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "code" in response.json()


def test_diff_endpoint_returns_word_level_json(editor, published):
    client = api(editor)
    fork = client.post(f"/api/versions/{published.pk}/fork/").json()
    principle = client.get(f"/api/principles/?version={fork['id']}&code=HON-01").json()["results"][
        0
    ]
    client.patch(
        f"/api/principles/{principle['id']}/",
        {"lock_version": 1, "priority": 1, "title": "Never lie"},
        format="json",
    )
    diff = client.get(f"/api/versions/{fork['id']}/diff/?against={published.pk}").json()
    assert diff["counts"] == {"added": 0, "removed": 0, "changed": 1, "unchanged": 3}
    (changed,) = [p for p in diff["principles"] if p["status"] == "changed"]
    fields = {c["field"]: c for c in changed["changes"]}
    assert fields["priority"]["old"] == 10 and fields["priority"]["new"] == 1
    assert fields["title"]["ops"] == [
        {"op": "delete", "text": "Principle"},
        {"op": "insert", "text": "Never"},
        {"op": "equal", "text": " "},
        {"op": "delete", "text": "HON-01"},
        {"op": "insert", "text": "lie"},
    ]
    assert client.get(f"/api/versions/{fork['id']}/diff/").status_code == 400


def test_yaml_export_and_import_over_the_api(editor, published):
    client = api(editor)
    exported = client.get(f"/api/versions/{published.pk}/export/")
    assert exported.status_code == 200
    text = exported.content.decode()
    assert text == version_export_yaml(version=published)
    imported = client.post("/api/versions/import/", {"yaml": text}, format="json")
    assert imported.status_code == 201 and imported.json()["number"] == 2
    bad = client.post("/api/versions/import/", {"yaml": text + "extra: 1\n"}, format="json")
    assert bad.status_code == 400
    (problem,) = bad.json()["problems"]
    assert problem.endswith("extra: unknown field 'extra'")


def test_lists_are_paginated_and_filterable(editor, published):
    response = api(editor).get(f"/api/principles/?version={published.pk}&category=honesty")
    body = response.json()
    assert set(body) >= {"count", "next", "previous", "results"}
    assert [p["code"] for p in body["results"]] == ["HON-01"]


def test_openapi_schema_and_local_swagger_ui(editor_client):
    schema = editor_client.get("/api/schema/")
    assert schema.status_code == 200
    text = schema.content.decode()
    assert "/api/versions/{id}/diff/" in text and "/api/principles/{id}/" in text
    docs = editor_client.get("/api/docs/").content.decode()
    assert "drf_spectacular_sidecar/swagger-ui-dist" in docs
    assert "cdn" not in docs.lower()
