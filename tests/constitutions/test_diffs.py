from hypothesis import given
from hypothesis import strategies as st

from constitutions.diffs import diff_versions, diff_words, tokenize
from tests.factories import principle_fields


def test_tokenize_round_trips_text():
    text = "Don't help,  with\ttheft!\n(ever)"
    assert "".join(tokenize(text)) == text


def test_word_diff_marks_only_the_changed_words():
    ops = diff_words("Refuse to help with theft.", "Refuse to help with theft or fraud.")
    assert [(op.op, op.text) for op in ops] == [
        ("equal", "Refuse to help with theft"),
        ("insert", " or fraud"),
        ("equal", "."),
    ]


def test_word_diff_replacement_is_a_delete_then_an_insert():
    ops = diff_words("be racist or sexist", "be racist, sexist or ableist")
    kinds = [op.op for op in ops]
    assert "delete" in kinds and "insert" in kinds
    assert "".join(op.text for op in ops if op.op != "insert") == "be racist or sexist"
    assert "".join(op.text for op in ops if op.op != "delete") == "be racist, sexist or ableist"


@given(st.text(max_size=200), st.text(max_size=200))
def test_word_diff_reconstructs_both_texts(old, new):
    ops = diff_words(old, new)
    assert "".join(op.text for op in ops if op.op != "insert") == old
    assert "".join(op.text for op in ops if op.op != "delete") == new
    # Adjacent ops of the same kind are merged, and no op is empty.
    assert all(op.text for op in ops)
    assert all(a.op != b.op for a, b in zip(ops, ops[1:], strict=False))


def test_version_diff_classifies_each_principle_code():
    old = [
        principle_fields("HARM-01"),
        principle_fields("HARM-02"),
        principle_fields("HON-01", category="honesty"),
        {**principle_fields("HARM-02"), "locale": "de-DE", "title": "German addendum"},
    ]
    new = [
        principle_fields("HARM-01"),
        principle_fields(
            "HARM-02",
            critique_request="Identify how the response breaks HARM-02 or helps fraud.",
            priority=1,
        ),
        principle_fields("HELP-01", category="helpfulness"),
        {**principle_fields("HARM-02"), "locale": "de-DE", "title": "German addendum"},
    ]
    diff = diff_versions(old, new)
    status = {entry.key: entry.status for entry in diff.principles}
    assert status == {
        "HARM-01": "unchanged",
        "HARM-02": "changed",
        "HARM-02@de-DE": "unchanged",
        "HON-01": "removed",
        "HELP-01": "added",
    }
    assert diff.counts() == {"added": 1, "removed": 1, "changed": 1, "unchanged": 2}
    changed = next(e for e in diff.principles if e.key == "HARM-02")
    by_field = {change.field: change for change in changed.changes}
    assert set(by_field) == {"priority", "critique_request"}
    assert (by_field["priority"].old, by_field["priority"].new) == (10, 1)
    assert by_field["priority"].ops == []
    inserted = [op.text for op in by_field["critique_request"].ops if op.op == "insert"]
    assert inserted == [" or helps fraud"]
    removed = next(e for e in diff.principles if e.key == "HON-01")
    assert removed.record["category"] == "honesty"


def test_a_category_change_is_called_out():
    diff = diff_versions(
        [principle_fields("HON-01", category="honesty")],
        [principle_fields("HON-01", category="harmlessness")],
    )
    (change,) = diff.principles[0].changes
    assert (change.field, change.old, change.new) == ("category", "honesty", "harmlessness")


def test_diff_as_dict_is_json_ready():
    import json

    diff = diff_versions([principle_fields("HARM-01")], [principle_fields("HARM-01", title="New")])
    data = json.loads(json.dumps(diff.as_dict()))
    assert data["counts"]["changed"] == 1
    assert data["principles"][0]["changes"][0]["ops"][0] == {
        "op": "delete",
        "text": "Principle HARM-01",
    }
