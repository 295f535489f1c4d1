"""Every API body is checked for text the database cannot store before any serializer sees it:
JSON fields, list fields and slug lookups included, with the field named, the same on
PostgreSQL and SQLite. Run with DATABASE_URL=sqlite:////tmp/h2.sqlite3 as well."""

import json

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from cai_audit.parsers import StorableDataParser
from constitutions.models import Constitution

pytestmark = pytest.mark.django_db


def _drf_views(patterns=None, prefix=""):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            yield from _drf_views(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and hasattr(entry.callback, "cls"):
            yield prefix + str(entry.pattern), entry.callback


def test_every_api_view_parses_with_the_storable_text_check():
    """A view that names its own parsers must take them from cai_audit.parsers."""
    checked = 0
    for route, callback in _drf_views():
        parsers = callback.initkwargs.get("parser_classes") or callback.cls.parser_classes
        plain = [p.__name__ for p in parsers if not issubclass(p, StorableDataParser)]
        assert not plain, f"{route} ({callback.cls.__name__}) parses with {plain}"
        checked += 1
    assert checked > 20  # the router's routes were found


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def post_json(client, url, body: dict):
    # json.dumps writes NUL and lone surrogates as \u escapes: exactly what an attacker sends.
    return client.post(url, json.dumps(body), content_type="application/json")


def test_a_slug_lookup_with_nul_is_a_400_naming_the_field(editor):
    response = post_json(api(editor), "/api/constitutions/", {"name": "C", "owners": ["ed\x00"]})
    assert response.status_code == 400
    assert response.json() == {"owners": ["[0]: contains a NUL character (U+0000) at character 3"]}
    assert not Constitution.objects.exists()


def test_a_lone_surrogate_in_a_text_field_is_a_400_naming_the_field(editor):
    body = {"name": "C", "description": "caf\udce9"}
    response = post_json(api(editor), "/api/constitutions/", body)
    assert response.status_code == 400
    assert response.json() == {
        "description": ["contains an unpaired surrogate (U+DCE9) at character 4"]
    }
    assert not Constitution.objects.exists()


def test_json_and_dict_fields_are_checked_inside(researcher):
    body = {"snapshot": 1, "method": "sft", "hyperparameters": {"notes": ["ok", "bad\x00"]}}
    response = post_json(api(researcher), "/api/training-jobs/", body)
    assert response.status_code == 400
    assert response.json() == {
        "hyperparameters": ["notes[1]: contains a NUL character (U+0000) at character 4"]
    }
    keys = post_json(api(researcher), "/api/training-jobs/", {"hyperparameters": {"\ud800": 1}})
    assert keys.status_code == 400
    assert "has a key that contains an unpaired surrogate" in keys.json()["hyperparameters"][0]


def test_form_and_multipart_bodies_are_checked_too(editor):
    client = api(editor)
    form = client.post("/api/constitutions/", {"name": "C\x00"})  # multipart
    assert form.status_code == 400
    assert form.json() == {"name": ["contains a NUL character (U+0000) at character 2"]}
    encoded = client.post(
        "/api/constitutions/", "name=C%00", content_type="application/x-www-form-urlencoded"
    )
    assert encoded.status_code == 400 and "name" in encoded.json()


def test_deeply_nested_json_is_a_400_not_a_crash(editor):
    client = api(editor)
    deep = client.post(
        "/api/constitutions/", "[" * 100_000 + "]" * 100_000, content_type="application/json"
    )
    assert deep.status_code == 400
    assert "nested too deeply" in deep.json()["detail"]
    body = {"name": "C", "description": "d"}
    for _ in range(40):
        body = {"name": "C", "x": body}
    too_deep = post_json(client, "/api/constitutions/", body)
    assert too_deep.status_code == 400
    assert "nested more than 32 levels deep" in json.dumps(too_deep.json())


def test_a_query_string_with_nul_is_a_400_naming_the_parameter(editor):
    response = api(editor).get("/api/constitutions/?name=ok&ordering=%00")
    assert response.status_code == 400
    assert response.json() == {"ordering": ["contains a NUL character (U+0000) at character 1"]}
