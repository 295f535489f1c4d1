"""Hostile constitution YAML: alias bombs, deep nesting, oversized and gzipped files, values
PyYAML cannot build and text the database cannot store are refused quickly, with the line named,
through the service, the page, the API and the command; a refused import writes nothing."""

import gzip
import json
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from cai_audit.errors import ImportProblems
from constitutions.models import Constitution, ConstitutionVersion, Principle
from constitutions.services import version_import_yaml
from constitutions.yaml_io import VersionDocument, parse_version_yaml, version_to_yaml
from tests.cai_audit.test_uploads import gzip_bomb
from tests.factories import principle_fields

pytestmark = pytest.mark.django_db


def billion_laughs(levels: int = 9) -> str:
    """~600 bytes that expand to 9**9 (387 million) strings when the aliases are followed."""
    lines = ['lol0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for n in range(1, levels):
        lines.append(f"lol{n}: &a{n} [" + ",".join([f"*a{n - 1}"] * 9) + "]")
    return (
        "format: cai-audit/constitution@1\n"
        "constitution: {name: Bomb}\n"
        "junk:\n" + "".join(f"  {line}\n" for line in lines) + f"changelog: *a{levels - 1}\n"
        "principles: []\n"
    )


def valid_yaml(**overrides) -> str:
    fields = {
        "name": "Hardened",
        "changelog": "First",
        "principles": [{**principle_fields("HARM-01"), "locale": "", "few_shot_example": ""}],
    }
    return version_to_yaml(VersionDocument(**{**fields, **overrides}))


def nothing_written() -> bool:
    return not (
        Constitution.objects.exists()
        or ConstitutionVersion.objects.exists()
        or Principle.objects.exists()
    )


def refused(text, editor) -> list[str]:
    with pytest.raises(ImportProblems) as caught:
        version_import_yaml(actor=editor, text=text)
    assert nothing_written()
    return caught.value.problems


def test_a_billion_laughs_document_is_refused_in_well_under_a_second(editor):
    bomb = billion_laughs()
    assert 500 < len(bomb.encode()) < 700
    started = time.perf_counter()
    problems = refused(bomb, editor)
    assert time.perf_counter() - started < 1
    assert problems == [
        "line 5: the alias *a0 is not allowed: write the value out in full (aliases can expand "
        "a small file into billions of values)"
    ]


def test_merge_keys_are_aliases_too(editor):
    text = valid_yaml() + "extra: &x {a: 1}\nmore:\n  <<: *x\n"
    assert refused(text, editor)[0].startswith("line ")
    assert "alias *x is not allowed" in refused(text, editor)[0]


def test_deep_nesting_is_refused_at_its_line(editor):
    text = "format: cai-audit/constitution@1\njunk: " + "[" * 20 + "]" * 20 + "\n"
    assert refused(text, editor) == ["line 2: nested more than 8 levels deep"]
    deeper = "format: cai-audit/constitution@1\njunk: " + "[" * 50_000 + "]" * 50_000 + "\n"
    (problem,) = refused(deeper, editor)  # libyaml stops it first, at its own bound
    assert problem.startswith("line 2")


def test_values_pyyaml_cannot_build_are_problems_at_their_line_not_errors(editor):
    bad_date = valid_yaml().replace("changelog: First", "changelog: 2024-13-45")
    assert (
        "line 6, column 12: this value cannot be read (month must be in 1..12)"
        in (refused(bad_date, editor)[0])
    )
    huge = valid_yaml().replace("review_cadence_days: 90", "review_cadence_days: 1" + "0" * 5000)
    assert "this value cannot be read (Exceeds the limit (4300 digits)" in refused(huge, editor)[0]
    control = valid_yaml().replace("changelog: First", "changelog: Fir\x01st")
    assert refused(control, editor) == ["line 6: the character U+0001 is not allowed in YAML"]


@pytest.mark.parametrize(
    ("replace", "problem"),
    [
        (("name: Hardened", 'name: "Hard\\0ened"'), "line 3, constitution.name: contains a NUL"),
        (("changelog: First", 'changelog: "Fi\\x00rst"'), "line 6, changelog: contains a NUL"),
        (
            ("title: Principle HARM-01", 'title: "Principle \\0"'),
            "principles[0].title: contains a NUL character (U+0000) at character 11",
        ),
        (("code: HARM-01", '"co\\0de": HARM-01'), "principles[0]: has a key that contains a NUL"),
    ],
)
def test_text_the_database_cannot_store_is_refused_with_line_and_field(editor, replace, problem):
    text = valid_yaml().replace(*replace)
    problems = refused(text, editor)
    assert any(problem in p for p in problems), problems


def test_a_file_over_the_limit_and_a_gzip_bomb_are_refused(editor, settings):
    settings.CAI_IMPORT_CONSTITUTION_MAX_BYTES = 10_000
    padded = valid_yaml(changelog="x" * 20_000)
    assert refused(padded, editor) == ["the file is larger than 10,000 bytes; the limit is 10,000"
                                       " bytes"]  # fmt: skip
    bomb = SimpleUploadedFile("c.yaml.gz", gzip_bomb(5, b"# comment\n"))
    assert refused(bomb, editor) == [
        "the file decompresses to more than 10,000 bytes; the limit is 10,000 bytes"
    ]
    packed = SimpleUploadedFile("c.yaml.gz", gzip.compress(valid_yaml().encode()))
    assert version_import_yaml(actor=editor, text=packed).principles.count() == 1


def test_the_page_refuses_the_bomb_pasted_or_uploaded(editor_client):
    pasted = editor_client.post("/constitutions/import/", {"text": billion_laughs()})
    upload = SimpleUploadedFile("bomb.yaml", billion_laughs().encode())
    uploaded = editor_client.post("/constitutions/import/", {"file": upload})
    for page in (pasted, uploaded):
        assert page.status_code == 400
        assert "line 5: the alias *a0 is not allowed" in page.text
    nul = valid_yaml().replace("changelog: First", 'changelog: "Fi\\0rst"')
    page = editor_client.post("/constitutions/import/", {"text": nul})
    assert page.status_code == 400 and "line 6, changelog: contains a NUL character" in page.text
    assert nothing_written()


def test_the_api_refuses_the_bomb_and_unstorable_text(editor):
    client = APIClient()
    client.force_authenticate(editor)
    started = time.perf_counter()
    response = client.post("/api/versions/import/", {"yaml": billion_laughs()}, format="json")
    assert time.perf_counter() - started < 1
    assert response.status_code == 400
    assert response.json()["problems"][0].startswith("line 5: the alias *a0 is not allowed")
    raw_nul = client.post("/api/versions/import/", {"yaml": valid_yaml() + "\x00"}, format="json")
    assert raw_nul.status_code == 400 and "yaml" in raw_nul.json()
    escaped = valid_yaml().replace("changelog: First", 'changelog: "\\0"')
    response = client.post("/api/versions/import/", {"yaml": escaped}, format="json")
    assert response.status_code == 400
    assert "line 6, changelog: contains a NUL character" in response.json()["problems"][0]
    assert nothing_written()


def test_the_command_refuses_the_bomb_quickly(tmp_path, editor):
    path = tmp_path / "bomb.yaml"
    path.write_text(billion_laughs())
    started = time.perf_counter()
    with pytest.raises(CommandError, match="line 5: the alias \\*a0 is not allowed"):
        call_command("constitution_import", str(path))
    assert time.perf_counter() - started < 1
    assert nothing_written()


hostile_text = st.text(
    st.characters() | st.integers(0xD800, 0xDFFF).map(chr) | st.sampled_from("\x00\x01\u200b "),
    min_size=1,
    max_size=30,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(title=hostile_text, changelog=hostile_text, request=hostile_text)
def test_hostile_principle_text_is_stored_exactly_or_refused_by_line(
    editor, title, changelog, request
):
    principle = {**principle_fields("HARM-01"), "locale": "", "few_shot_example": ""}
    principle.update(title=title, critique_request=request)
    try:
        text = version_to_yaml(
            VersionDocument(name="Hostile", changelog=changelog, principles=[principle])
        )
    except UnicodeEncodeError:
        return  # the exporter cannot write a lone surrogate either: nothing to import
    before = Principle.objects.count()
    try:
        version = version_import_yaml(actor=editor, text=text)
    except ImportProblems as refusal:
        assert refusal.problems and all(
            p.startswith("line ") or p.startswith("the file") for p in refusal.problems
        ), refusal.problems
        assert Principle.objects.count() == before
        return
    stored = version.principles.get()
    assert (stored.title, stored.critique_request, version.changelog) == (
        title, request, changelog,
    )  # fmt: skip
    assert parse_version_yaml(text).principles[0]["title"] == title


def test_a_json_body_over_djangos_limit_names_the_limit(editor, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100_000
    client = APIClient()
    client.force_authenticate(editor)
    body = json.dumps({"yaml": valid_yaml(changelog="x" * 200_000)})
    response = client.post("/api/versions/import/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["problems"] == ["a JSON or form body may hold at most 100,000 bytes"]
    assert nothing_written()
