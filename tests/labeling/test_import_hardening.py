"""Hostile item files: text the database cannot store, blank replies, gzip bombs and oversized
files are refused whole, with the line and field named, through the service, the page, the API
and the command alike; a refused import writes nothing. Run on PostgreSQL and on SQLite."""

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
from labeling.models import Item, ItemSet
from labeling.services.items import item_set_import
from tests.cai_audit.test_uploads import PeakRss, gzip_bomb

pytestmark = pytest.mark.django_db

GOOD = {"prompt": "How do I fix a flat tyre?", "response": "Take the wheel off first."}
HH_PROMPT = "\n\nHuman: How do I pick a lock?\n\nAssistant: Why?\n\nHuman: Locked out."


def jsonl(*rows: dict) -> bytes:
    return "\n".join(json.dumps(row) for row in rows).encode()


def refused(data: bytes, filename: str = "f.jsonl") -> list[str]:
    with pytest.raises(ImportProblems) as caught:
        item_set_import(actor=None, name="x", data=data, filename=filename)
    assert not ItemSet.objects.exists() and not Item.objects.exists()
    return caught.value.problems


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


UNSTORABLE_ROWS = [
    ({**GOOD, "prompt": "a\u0000b"}, "prompt: contains a NUL character (U+0000) at character 2"),
    ({**GOOD, "response": "ok\ud800"}, "response: contains an unpaired surrogate (U+D800)"),
    (
        {**GOOD, "prompt": [{"role": "user", "content": "\udfff"}]},
        "prompt[0].content: contains an unpaired surrogate (U+DFFF)",
    ),
    (
        {"prompt": "q", "response_a": "a", "response_b": "b\x00"},
        "response_b: contains a NUL character",
    ),
    ({"chosen": HH_PROMPT + "\n\nAssistant: \x00", "rejected": "x"}, "chosen: contains a NUL"),
    ({**GOOD, "metadata": {"note": ["\x00"]}}, "metadata.note[0]: contains a NUL character"),
    ({**GOOD, "metadata": {"k\ud800": 1}}, "metadata: has a key that contains an unpaired"),
    ({**GOOD, "extra_field": "\x00"}, "extra_field: contains a NUL character"),
    ({**GOOD, "domain": "med\x00"}, "domain: contains a NUL character"),
    ({**GOOD, "id": "row\x00"}, "id: contains a NUL character"),
]


@pytest.mark.parametrize(("row", "problem"), UNSTORABLE_ROWS)
def test_text_the_database_cannot_store_is_refused_with_its_line_and_field(row, problem):
    problems = refused(jsonl(GOOD, row))
    assert len(problems) == 1 and problems[0].startswith(f"line 2: {problem}"), problems


def test_nul_in_a_csv_cell_and_in_metadata_json_is_refused():
    csv_rows = 'prompt,response,metadata\nq,"a\x00",\nq,a,"{""k"": ""\\u0000""}"\n'
    problems = refused(csv_rows.encode(), "f.csv")
    assert problems[0].startswith("line 2: response: contains a NUL character")
    assert problems[1].startswith("line 3: metadata.k: contains a NUL character")


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        (
            {"chosen": HH_PROMPT + "\n\nAssistant: Call a locksmith.",
             "rejected": HH_PROMPT + "\n\nAssistant: "},
            "the final Assistant reply of rejected is blank",
        ),
        (
            {"chosen": HH_PROMPT + "\n\nAssistant:  \n ",
             "rejected": HH_PROMPT + "\n\nAssistant: x"},
            "the final Assistant reply of chosen is blank",
        ),
        ({"prompt": "q", "chosen": "fine", "rejected": "   "}, "rejected must be non-empty text"),
        ({"prompt": "q", "chosen": "", "rejected": "fine"}, "chosen must be non-empty text"),
        ({"prompt": "q", "response_a": "a", "response_b": "\u200b"}, "response_b must be non-emp"),
        ({"prompt": "q", "response": " \t"}, "response must be non-empty text"),
        ({"prompt": "  ", "response": "r"}, "prompt is blank"),
        ({"prompt": [{"role": "user", "content": " "}], "response": "r"}, "prompt[0] (user) is bl"),
        (
            {"chosen": "\n\nHuman:  \n\nAssistant: a", "rejected": "\n\nHuman:  \n\nAssistant: b"},
            "the shared turns of chosen and rejected[0] (user) is blank",
        ),
        (
            {"chosen": "\n\nAssistant: a", "rejected": "\n\nAssistant: b"},
            "the shared turns of chosen and rejected has no turns",
        ),
    ],
)  # fmt: skip
def test_blank_replies_and_prompts_are_refused_with_their_line(row, problem):
    problems = refused(jsonl(GOOD, GOOD, row))
    assert problems == [f"line 3: {problem}"] or problems[0].startswith(f"line 3: {problem}")


def test_json_that_cannot_be_stored_or_parsed_is_a_line_problem_not_a_crash():
    lines = [
        b'{"prompt": "q", "response": "r", "score": NaN}',
        b'{"prompt": "q", "response": "r", "score": 1e999}',  # Infinity once parsed
        b'{"prompt": "q", "response": "r", "n": ' + b"9" * 5000 + b"}",
        b"[" * 100_000,
        b'{"prompt": "q", "response": "r", "deep": ' + b"[" * 40 + b"]" * 40 + b"}",
    ]
    problems = refused(b"\n".join(lines))
    assert [p.split(":")[0] for p in problems] == [f"line {n}" for n in range(1, 6)]
    assert "NaN is not a JSON value" in problems[0]
    assert "1e999 is too large for a number" in problems[1]
    assert "nested too deeply" in problems[3]
    assert "nested more than 32 levels deep" in problems[4]


def test_a_gzip_bomb_is_refused_without_growing_memory(settings):
    settings.CAI_IMPORT_ITEMS_MAX_BYTES = 50_000_000
    bomb = gzip_bomb(100)  # 100 MB of newlines in ~100 KB
    started = time.perf_counter()
    with PeakRss() as rss:
        problems = refused(bomb, "bomb.jsonl.gz")
    assert problems == ["the file decompresses to more than 50 MB; the limit is 50 MB"]
    assert rss.growth_mb < 50, rss.growth_mb
    assert time.perf_counter() - started < 5  # blank lines are skipped in blocks, not one by one


def test_a_csv_of_blank_lines_stops_at_ten_lines_per_allowed_row(settings):
    settings.CAI_IMPORT_MAX_ROWS = 1_000
    data = b"prompt,response\n" + b"\n" * 20_000 + b"q,r\n"
    assert refused(data, "blank.csv") == [
        "the file has more than 10,000 lines; the limit is 10,000"
    ]


def test_a_gzip_bomb_of_tiny_rows_stops_at_the_row_limit(settings):
    settings.CAI_IMPORT_MAX_ROWS = 10_000
    bomb = gzip_bomb(100, b'{"prompt": "q", "response": "r"}\n')  # 3 million rows in ~150 KB
    with PeakRss() as rss:
        problems = refused(bomb, "bomb.jsonl.gz")
    assert problems == ["the file holds more than 10,000 rows; the limit is 10,000"]
    assert rss.growth_mb < 50, rss.growth_mb


def test_a_file_with_more_rows_than_the_limit_is_refused(settings):
    settings.CAI_IMPORT_MAX_ROWS = 10
    assert refused(jsonl(*[GOOD] * 11)) == ["the file holds more than 10 rows; the limit is 10"]
    settings.CAI_IMPORT_MAX_ROWS = 11
    assert item_set_import(actor=None, name="ok", data=jsonl(*[GOOD] * 11)).item_count == 11


def test_the_page_refuses_a_bad_file_and_a_bomb_with_the_reason(editor_client, settings):
    bad = SimpleUploadedFile("x.jsonl", jsonl(GOOD, {**GOOD, "response": "a\x00"}))
    page = editor_client.post("/labeling/items/", {"file": bad})
    assert page.status_code == 400
    assert "line 2: response: contains a NUL character (U+0000) at character 2" in page.text
    settings.CAI_IMPORT_ITEMS_MAX_BYTES = 1_000_000
    bomb = SimpleUploadedFile("b.jsonl.gz", gzip_bomb(5))
    page = editor_client.post("/labeling/items/", {"file": bomb})
    assert page.status_code == 400
    assert "the file decompresses to more than 1 MB; the limit is 1 MB" in page.text
    big = SimpleUploadedFile("big.jsonl", b" " * 1_000_001)
    page = editor_client.post("/labeling/items/", {"file": big})
    assert "The file is 1 MB; the limit is 1 MB." in page.text or "1,000,001" in page.text
    assert not ItemSet.objects.exists()


def test_the_api_applies_the_same_limits_and_checks(editor, settings):
    client = api(editor)
    bad = SimpleUploadedFile("x.jsonl", jsonl({**GOOD, "prompt": "\ud800"}))
    response = client.post("/api/item-sets/", {"file": bad}, format="multipart")
    assert response.status_code == 400
    assert response.json()["problems"][0].startswith("line 1: prompt: contains an unpaired")
    settings.CAI_IMPORT_ITEMS_MAX_BYTES = 1_000_000
    too_big = SimpleUploadedFile("big.jsonl", jsonl(*[GOOD] * 20_000))  # ~1.2 MB
    response = client.post("/api/item-sets/", {"file": too_big}, format="multipart")
    assert response.status_code == 400
    assert "the limit is 1 MB" in json.dumps(response.json())
    bomb = SimpleUploadedFile("b.jsonl.gz", gzip_bomb(5))
    response = client.post("/api/item-sets/", {"file": bomb}, format="multipart")
    assert response.status_code == 400
    assert response.json()["problems"] == [
        "the file decompresses to more than 1 MB; the limit is 1 MB"
    ]
    named = SimpleUploadedFile("ok.jsonl", jsonl(GOOD))
    response = client.post("/api/item-sets/", {"file": named, "name": "x\x00"}, format="multipart")
    assert response.status_code == 400 and "name" in response.json()
    assert not ItemSet.objects.exists()


def test_the_command_refuses_a_bomb_and_unstorable_text(tmp_path, settings):
    settings.CAI_IMPORT_ITEMS_MAX_BYTES = 1_000_000
    bomb = tmp_path / "bomb.jsonl.gz"
    bomb.write_bytes(gzip_bomb(5))
    with pytest.raises(CommandError, match="decompresses to more than 1 MB; the limit is 1 MB"):
        call_command("import_items", str(bomb))
    bad = tmp_path / "bad.jsonl.gz"
    bad.write_bytes(gzip.compress(jsonl(GOOD, {**GOOD, "response": "\x00"})))
    with pytest.raises(CommandError, match="line 2: response: contains a NUL character"):
        call_command("import_items", str(bad))
    assert not ItemSet.objects.exists()


# Text with what databases choke on: NUL, lone surrogates, other control characters, blanks,
# zero-width characters, and sometimes very long values.
hostile_text = st.one_of(
    st.text(
        st.characters() | st.integers(0xD800, 0xDFFF).map(chr) | st.sampled_from("\x00\x01\u200b "),
        max_size=20,
    ),
    st.builds(lambda c, n: c * n, st.sampled_from("a \x00"), st.integers(99_990, 100_010)),
)
hostile_row = st.fixed_dictionaries(
    {"prompt": hostile_text | st.lists(
        st.fixed_dictionaries({"role": st.sampled_from(["user", "assistant"]),
                               "content": hostile_text}), max_size=3)},
    optional={"response": hostile_text, "response_a": hostile_text, "response_b": hostile_text,
              "chosen": hostile_text, "rejected": hostile_text, "domain": hostile_text,
              "metadata": st.dictionaries(hostile_text, hostile_text, max_size=2),
              "note": hostile_text},
)  # fmt: skip


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(hostile_row, min_size=1, max_size=4))
def test_hostile_rows_are_either_stored_exactly_or_refused_by_line(rows):
    """Never an exception other than the import's refusal: what is accepted is written and read
    back unchanged; what is refused names a line for every problem."""
    data = "\n".join(json.dumps(row) for row in rows).encode()
    before = Item.objects.count()
    try:
        item_set = item_set_import(actor=None, name="h", data=data, filename="h.jsonl")
    except ImportProblems as refusal:
        assert refusal.problems and all(p.startswith("line ") for p in refusal.problems)
        assert Item.objects.count() == before
        return
    stored = list(item_set.items.order_by("line"))
    assert len(stored) == len(rows)
    for item, row in zip(stored, rows, strict=True):
        if "response" in row and not {"response_a", "response_b", "chosen", "rejected"} & set(row):
            assert item.response_a == row["response"]
        if isinstance(row["prompt"], list):
            assert item.prompt == row["prompt"]
