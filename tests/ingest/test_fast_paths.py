"""The fast paths of ingestion keep every check: orjson decoding refuses what the strict decoder
refuses (and names it the same way), big integers stay integers, and a streamed row is walked for
unstorable text or deep nesting whenever it may hold either."""

import json

import pytest

from labeling.importing import RowProblem
from labeling.importing.json_values import json_value


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (b'{"p": NaN}', "not valid JSON (NaN is not a JSON value)"),
        (b'{"p": Infinity}', "not valid JSON (Infinity is not a JSON value)"),
        (b'{"p": 1e999}', "not valid JSON (1e999 is too large for a number)"),
        (b'{"p": "\xff"}', "not valid UTF-8"),
        (b'{"p": 1,}', "not valid JSON (Expecting property name enclosed in double quotes"),
        (b"[" * 5000 + b"]" * 5000, "not valid JSON (nested too deeply)"),
    ],
)
def test_what_the_strict_decoder_refuses_is_refused_with_its_reason(text, reason):
    with pytest.raises(RowProblem) as refused:
        json_value(text)
    assert str(refused.value).startswith(reason)


def test_decoded_values_are_those_of_the_strict_decoder():
    cases = [
        b'{"id": 123456789012345678901234567890, "n": 18446744073709551615}',
        b'\xef\xbb\xbf{"bom": true}',  # a byte order mark
        b'{"s": "\\u00e9\\ud83d\\ude00", "f": [0.1, -2.5e-3, 1e308], "z": null}',
        '{"text": "already decoded", "big": 99999999999999999999}',
    ]
    for text in cases:
        raw = text.decode("utf-8-sig") if isinstance(text, bytes) else text
        value = json_value(text)
        assert value == json.loads(raw)
        assert isinstance(value.get("id", value.get("big", 0)), int)


def test_a_lone_surrogate_decodes_for_the_storable_check_to_name_it():
    assert json_value(b'"\\ud800"') == "\ud800"
