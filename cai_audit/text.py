"""Whether text can be stored, and whether it says anything. Pure: plain values in, a message out.

PostgreSQL cannot hold NUL (U+0000) in text or jsonb, and UTF-8 cannot encode a lone surrogate
(U+D800-U+DFFF, which JSON's `\\ud800` escapes produce). SQLite keeps the first and fails on the
second, so the same file would import on one database and fail with a server error on the other.
jsonb also refuses NaN and Infinity. Every importer and the API ask here first and refuse such
values with a message that names where they are, the same on every database.
"""

import math
import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from .errors import DomainError

MAX_DEPTH = 32
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")

Path = tuple[str | int, ...]


def path_label(path: Path) -> str:
    """("prompt", 0, "content") -> "prompt[0].content"."""
    label = ""
    for step in path:
        label += f"[{step}]" if isinstance(step, int) else (f".{step}" if label else str(step))
    return label


def _string_problem(text: str) -> str | None:
    found = _UNSTORABLE.search(text)
    if found is None:
        return None
    char = found.group()
    what = "a NUL character" if char == "\x00" else "an unpaired surrogate"
    return f"contains {what} (U+{ord(char):04X}) at character {found.start() + 1}"


def storable_text_problems(value: Any, *, max_depth: int = MAX_DEPTH) -> Iterator[tuple[Path, str]]:
    """(path, message) for each string (dict keys included) that cannot be stored, each NaN or
    infinite number, and each container nested deeper than `max_depth`. Walks lists, tuples and
    dicts without recursion; other values (numbers, booleans, None, bytes) pass."""
    stack: list[tuple[Path, Any]] = [((), value)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, str):
            problem = _string_problem(item)
            if problem:
                yield path, problem
        elif isinstance(item, float):
            if not math.isfinite(item):
                yield path, f"is {item}, which cannot be stored (use a finite number)"
        elif isinstance(item, dict | list | tuple):
            if len(path) >= max_depth:
                yield path, f"is nested more than {max_depth} levels deep"
                continue
            if isinstance(item, dict):
                children = []
                for key, child in item.items():
                    if isinstance(key, str) and (problem := _string_problem(key)):
                        yield path, f"has a key that {problem}"
                    children.append(((*path, key if isinstance(key, str) else str(key)), child))
            else:
                children = [((*path, index), child) for index, child in enumerate(item)]
            stack.extend(reversed(children))


def storable_text_problem(value: Any, *, max_depth: int = MAX_DEPTH) -> str | None:
    """The first problem as "where: what" ("[0].content: contains a NUL character (U+0000) at
    character 3"; just "what" for a bare string), or None when everything can be stored."""
    for path, message in storable_text_problems(value, max_depth=max_depth):
        return f"{path_label(path)}: {message}" if path else message
    return None


def fields_check(**fields: Any) -> None:
    """Raise DomainError naming each field (keyword) whose value cannot be stored."""
    problems = [
        f"{name}: {problem}"
        for name, value in fields.items()
        if (problem := storable_text_problem(value))
    ]
    if problems:
        raise DomainError(f"Nothing was saved: {'; '.join(problems)}.", problems=problems)


def text_is_blank(text: str) -> bool:
    """True when the text shows nothing: only white space, control and format characters (such as
    zero-width spaces). A reply or prompt like that cannot be judged or trained on."""
    for char in text:
        if not char.isspace() and unicodedata.category(char) not in ("Cc", "Cf"):
            return False
    return True
