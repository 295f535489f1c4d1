"""Parse item files (JSONL or CSV) into records. Pure: bytes in, records and problems out.

Accepted rows (JSON object per line, or CSV columns of the same names):
- single response, for critique: `prompt` + `response`;
- pair, for preference: `prompt` + `response_a` + `response_b` (optional `preferred`: A or B);
- pair with a human label: `prompt` + `chosen` + `rejected`, or only `chosen` + `rejected` as whole
  conversations in the `\\n\\nHuman: ...\\n\\nAssistant: ...` format of public harmlessness sets
  (the shared turns become the prompt).
`prompt` is text or a list of chat messages. Metadata: id, domain, harm_category, locale,
high_stakes, source; any other field is kept in `metadata`.

For human-labelled pairs the chosen reply is put in position A or B by a hash of the row, so a
judge that always picks one position cannot look right by accident.

Hostile files are normal input: the file is read as a stream with a cap on its (unpacked) bytes
and rows, and a row is refused, with its line, when any of its texts cannot be stored (NUL,
unpaired surrogates: cai_audit/text.py) or when a prompt, reply or turn is blank.

The parts: `readers` turn a byte stream into numbered rows (JSONL or CSV), `json_values` decodes
JSON strictly, `rows` checks one row and builds its `ItemRecord`, and `parsing` drives them over a
whole file, counting problems and enforcing the caps.
"""

from .json_values import json_value
from .parsing import DEFAULT_MAX_BYTES, DEFAULT_MAX_ROWS, MAX_REPORTED, ParseResult, parse_items
from .readers import detect_format
from .records import ItemRecord, RowProblem
from .rows import _LOCALE, KNOWN, MAX_TEXT, _as_prompt, record_from_row, split_conversation

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_ROWS",
    "KNOWN",
    "MAX_REPORTED",
    "MAX_TEXT",
    "ItemRecord",
    "ParseResult",
    "RowProblem",
    "_LOCALE",
    "_as_prompt",
    "detect_format",
    "json_value",
    "parse_items",
    "record_from_row",
    "split_conversation",
]
