import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from cai_audit.errors import ImportProblems
from constitutions.yaml_io import FORMAT, VersionDocument, parse_version_yaml, version_to_yaml
from tests.factories import principle_fields


def document(**overrides) -> VersionDocument:
    fields = {
        "name": "Demo",
        "description": "A test constitution",
        "review_cadence_days": 30,
        "changelog": "First\nversion",
        "principles": [
            {**principle_fields("HARM-01"), "locale": "", "few_shot_example": ""},
            {**principle_fields("HARM-01"), "locale": "de-DE", "few_shot_example": "Beispiel"},
        ],
    }
    fields.update(overrides)
    return VersionDocument(**fields)


def test_export_then_import_gives_the_same_document_and_text():
    original = document()
    text = version_to_yaml(original, header="exported for review")
    parsed = parse_version_yaml(text)
    assert parsed == original
    assert version_to_yaml(parsed, header="exported for review") == text
    assert text.startswith("# exported for review\n")


texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\ufeff"),
    min_size=1,
    max_size=120,
).filter(lambda s: s.strip())


@settings(max_examples=150, deadline=None)
@given(
    title=texts,
    critique=texts,
    revision=texts,
    # NUL and unpaired surrogates cannot be stored, so the importer refuses them
    # (test_yaml_hardening.py).
    example=st.text(
        st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=80
    ),
    changelog=st.text(
        st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=80
    ),
)
def test_round_trip_is_lossless_for_any_text(title, critique, revision, example, changelog):
    title = title[:200]
    original = document(
        changelog=changelog,
        principles=[
            {
                **principle_fields("HARM-07"),
                "title": title,
                "critique_request": critique,
                "revision_instruction": revision,
                "few_shot_example": example,
                "locale": "",
            }
        ],
    )
    parsed = parse_version_yaml(version_to_yaml(original))
    assert parsed == original


def problems_of(text: str) -> list[str]:
    with pytest.raises(ImportProblems) as caught:
        parse_version_yaml(text)
    assert caught.value.message.startswith(("Nothing was imported", "The file"))
    return caught.value.problems


def test_invalid_yaml_reports_line_and_column():
    (problem,) = problems_of("format: x\nprinciples: [\n  - code: A\n")
    assert problem.startswith("line ")
    assert "column" in problem


def test_every_problem_is_listed_with_where_it_is():
    text = f"""format: {FORMAT}
constitution:
  name: Demo
  colour: blue
principles:
- code: HARM-01
  title: One
  category: harmlessness
  critique_request: c
  revision_instruction: r
- code: HARM-01
  title: Duplicate
  category: harmlessness
  critique_request: c
  revision_instruction: r
- code: bad code
  titel: typo
  category: Harm Stuff
  priority: high
  critique_request: c
  revision_instruction: r
- code: HON-01
  locale: de-DE
  title: Addendum without a global principle
  category: honesty
  critique_request: c
  revision_instruction: r
"""
    problems = problems_of(text)
    joined = "\n".join(problems)
    assert "line 4, constitution.colour: unknown field 'colour'" in joined
    assert "line 11, principles[1].code: duplicate code HARM-01 (first at principles[0])" in joined
    assert "principles[2].titel: unknown field 'titel'" in joined
    assert "principles[2].title: is required" in joined
    assert "principles[2].code: must look like HARM-01" in joined
    assert "principles[2].category: must be lowercase" in joined
    assert "principles[2].priority: must be a whole number" in joined
    assert "principles[3].locale: addendum HON-01@de-DE has no global principle HON-01" in joined
    assert len(problems) == 8


def test_duplicate_mapping_keys_are_refused_not_silently_merged():
    text = version_to_yaml(document()).replace(
        "  title: Principle HARM-01\n", "  title: A\n  title: B\n", 1
    )
    problems = problems_of(text)
    assert any("key 'title' appears twice" in p for p in problems)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("- just\n- a list\n", "expected a mapping"),
        (
            f"format: {FORMAT}\nconstitution: {{name: X}}\nprinciples: []\n",
            "at least one principle",
        ),
        (
            "format: other@9\nconstitution: {name: X}\nprinciples: []\n",
            "must be 'cai-audit/constitution@1'",
        ),
    ],
)
def test_wrong_shapes_are_explained(text, expected):
    assert any(expected in p for p in problems_of(text))


def test_non_utf8_bytes_are_refused():
    with pytest.raises(ImportProblems) as caught:
        parse_version_yaml(b"format: \xff\xfe")
    assert "UTF-8" in caught.value.message


def test_unsafe_tags_are_not_executed():
    text = "!!python/object/apply:os.system ['echo hacked']\n"
    (problem,) = problems_of(text)
    assert "line 1" in problem


def test_export_uses_block_style_for_multiline_text():
    text = version_to_yaml(document())
    assert "changelog: |-\n  First\n  version\n" in text
    assert yaml.safe_load(text)["format"] == FORMAT
