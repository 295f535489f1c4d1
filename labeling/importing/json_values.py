"""Strict JSON decoding: every way a value can fail to decode, or fail to fit in jsonb, becomes a
RowProblem."""

import json
import math
import re
from typing import Any

import orjson

from .records import RowProblem


def _no_constant(name: str):
    raise ValueError(f"{name} is not a JSON value")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is too large for a number")
    return value


# orjson reads an integer of over 64 bits as a float: such text (20 digits in a row) is left to
# the strict decoder, which keeps it an integer. For bytes, digits are mapped to "0" and the rest
# to " " in C (a fifth of what a regex search costs on a row).
_DIGITS_TO_ZERO = bytes(48 if 48 <= code <= 57 else 32 for code in range(256))
_LONG_RUN = b"0" * 20
_LONG_DIGITS_TEXT = re.compile(r"[0-9]{20}")


def _long_digits(text: str | bytes) -> bool:
    if isinstance(text, bytes):
        return _LONG_RUN in text.translate(_DIGITS_TO_ZERO)
    return _LONG_DIGITS_TEXT.search(text) is not None


# NaN, Infinity and 1e999 (infinite once read) are refused: jsonb cannot hold them.
_DECODER = json.JSONDecoder(parse_constant=_no_constant, parse_float=_finite_float)


def json_value(text: str | bytes, what: str = "") -> Any:
    """json.loads, with every way it can fail (bad syntax, invalid UTF-8, NaN and Infinity,
    numbers of over 4,300 digits, nesting deeper than Python's recursion limit) turned into a
    RowProblem."""
    # orjson first (several times faster): it refuses NaN, Infinity, 1e999, invalid UTF-8, lone
    # surrogates and deep nesting like the strict decoder, and accepts no more than it does. What
    # it refuses (or a BOM) goes through the strict decoder, which names the reason.
    if not _long_digits(text):
        try:
            return orjson.loads(text)
        except orjson.JSONDecodeError:
            pass
    prefix = f"{what} is " if what else ""
    try:
        return _DECODER.decode(text.decode("utf-8-sig") if isinstance(text, bytes) else text)
    except json.JSONDecodeError as error:
        raise RowProblem(f"{prefix}not valid JSON ({error.msg} at column {error.colno})") from None
    except UnicodeDecodeError:
        raise RowProblem(f"{prefix}not valid UTF-8") from None
    except RecursionError:
        raise RowProblem(f"{prefix}not valid JSON (nested too deeply)") from None
    except ValueError as error:
        reason = str(error).split(":")[0]
        raise RowProblem(f"{prefix}not valid JSON ({reason})") from None
