"""The storable-text check every importer and the API use: pure, so tested exhaustively."""

import json
import re

from hypothesis import given
from hypothesis import strategies as st

from cai_audit.text import storable_text_problem, storable_text_problems, text_is_blank

SURROGATES = st.integers(0xD800, 0xDFFF).map(chr)


def test_nul_and_lone_surrogates_are_named_with_where_they_are():
    assert storable_text_problem("fine text, even with \x01 and \u2028") is None
    assert storable_text_problem("ab\x00c") == ("contains a NUL character (U+0000) at character 3")
    assert storable_text_problem({"prompt": [{"role": "user", "content": "x\ud800"}]}) == (
        "prompt[0].content: contains an unpaired surrogate (U+D800) at character 2"
    )
    assert storable_text_problem({"meta": {"k\x00": 1}}) == (
        "meta: has a key that contains a NUL character (U+0000) at character 2"
    )


def test_nan_and_infinity_are_refused_because_jsonb_cannot_hold_them():
    assert storable_text_problem({"x": [1, 2.5, True, None]}) is None
    assert storable_text_problem({"x": float("nan")}).startswith("x: is nan")
    assert storable_text_problem([float("inf")]).startswith("[0]: is inf")


def test_nesting_deeper_than_the_bound_is_refused_without_recursion():
    deep: list = []
    for _ in range(10_000):  # far past Python's recursion limit
        deep = [deep]
    assert "nested more than 32 levels deep" in storable_text_problem(deep)
    assert storable_text_problem([[["ok"]]], max_depth=3) is None
    assert storable_text_problem([[["ok"]]], max_depth=2) == (
        "[0][0]: is nested more than 2 levels deep"
    )


def test_blank_means_nothing_visible():
    for blank in ("", "   ", "\n\t", "\u200b", " \u200b\u00a0\ufeff "):
        assert text_is_blank(blank), repr(blank)
    for shown in ("a", " . ", "\u200bx", "字"):
        assert not text_is_blank(shown), repr(shown)


# Text that also holds NUL and lone surrogates (hypothesis leaves surrogates out by default).
hostile_text = st.text(st.characters() | SURROGATES | st.just("\x00"), max_size=12)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | hostile_text,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(hostile_text, children, max_size=4)
    ),
    max_leaves=20,
)


@given(json_values)
def test_a_value_without_problems_survives_strict_utf8_json(value):
    """No problem reported <=> the value encodes as strict UTF-8 JSON without NUL: exactly what
    PostgreSQL's text and jsonb take."""
    problems = list(storable_text_problems(value))
    try:
        encoded = json.dumps(value, ensure_ascii=False, allow_nan=False)
        encoded.encode("utf-8")
        # json.dumps writes NUL as \u0000 (an escape not itself escaped: even backslashes before)
        storable = not re.search(r"(?<!\\)(?:\\\\)*\\u0000", encoded)
    except (ValueError, UnicodeEncodeError):  # NaN/Infinity; a lone surrogate
        storable = False
    assert (not problems) == storable


@given(st.text(max_size=30), st.integers(0, 30), SURROGATES | st.just("\x00"))
def test_every_bad_character_is_found_at_its_position(text, at, bad):
    at = min(at, len(text))
    value = text[:at] + bad + text[at:]
    problem = storable_text_problem(value)
    assert problem is not None
    position = int(problem.rsplit(" ", 1)[1])
    assert value[position - 1] in ("\x00",) or 0xD800 <= ord(value[position - 1]) <= 0xDFFF
