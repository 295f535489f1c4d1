"""Diff two constitution versions, principle by principle. Pure: plain dicts in, plain data out.

Principles align on (code, locale), which is why codes stay stable across versions. Text fields
get a word-level diff; scalar fields (category, priority) are called out as old -> new. Rendering
is left to templates, which escape every piece.
"""

import difflib
import re
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from .rules import PRINCIPLE_FIELDS, SCALAR_FIELDS, TEXT_FIELDS, principle_key

Status = Literal["added", "removed", "changed", "unchanged"]
OpKind = Literal["equal", "insert", "delete"]

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


@dataclass(frozen=True)
class TextOp:
    op: OpKind
    text: str


@dataclass
class FieldChange:
    field: str
    old: Any
    new: Any
    ops: list[TextOp] = field(default_factory=list)  # word-level, text fields only


@dataclass
class PrincipleDiff:
    code: str
    locale: str
    status: Status
    title: str
    changes: list[FieldChange] = field(default_factory=list)
    # The whole principle when it was added or removed, so its text can be read in the diff.
    record: dict[str, Any] | None = None

    @property
    def key(self) -> str:
        return principle_key(self.code, self.locale)


@dataclass
class VersionDiff:
    principles: list[PrincipleDiff]

    def counts(self) -> dict[str, int]:
        totals = {"added": 0, "removed": 0, "changed": 0, "unchanged": 0}
        for entry in self.principles:
            totals[entry.status] += 1
        return totals

    def as_dict(self) -> dict[str, Any]:
        return {
            "counts": self.counts(),
            "principles": [{**asdict(entry), "key": entry.key} for entry in self.principles],
        }


def tokenize(text: str) -> list[str]:
    """Words, runs of whitespace and single punctuation marks; joining them gives `text` back."""
    return _TOKEN.findall(text)


def diff_words(old: str, new: str) -> list[TextOp]:
    """Word-level edit script: joining equal+delete gives `old`, equal+insert gives `new`."""
    old_tokens, new_tokens = tokenize(old), tokenize(new)
    matcher = difflib.SequenceMatcher(a=old_tokens, b=new_tokens, autojunk=False)
    ops: list[TextOp] = []

    def emit(kind: OpKind, tokens: list[str]) -> None:
        text = "".join(tokens)
        if not text:
            return
        if ops and ops[-1].op == kind:
            ops[-1] = TextOp(kind, ops[-1].text + text)
        else:
            ops.append(TextOp(kind, text))

    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            emit("equal", old_tokens[i1:i2])
        else:
            emit("delete", old_tokens[i1:i2])
            emit("insert", new_tokens[j1:j2])
    return ops


def _field_changes(old: dict[str, Any], new: dict[str, Any]) -> list[FieldChange]:
    changes = []
    for name in PRINCIPLE_FIELDS:
        if name in ("code", "locale"):
            continue
        before, after = old.get(name, ""), new.get(name, "")
        if before == after:
            continue
        if name in TEXT_FIELDS:
            changes.append(FieldChange(name, before, after, diff_words(before, after)))
        else:
            assert name in SCALAR_FIELDS
            changes.append(FieldChange(name, before, after))
    return changes


def diff_versions(
    old_principles: list[dict[str, Any]], new_principles: list[dict[str, Any]]
) -> VersionDiff:
    """Compare two versions given as lists of principle dicts (fields of rules.PRINCIPLE_FIELDS).

    Entries come in the new version's order, removed principles at the place they had.
    """
    old_by_key = {(p["code"], p.get("locale", "")): p for p in old_principles}
    new_by_key = {(p["code"], p.get("locale", "")): p for p in new_principles}
    ordered_keys = list(new_by_key)
    for index, key in enumerate(old_by_key):
        if key not in new_by_key:
            # Keep a removed principle near its old neighbour.
            ordered_keys.insert(min(index, len(ordered_keys)), key)
    entries = []
    for code, locale in ordered_keys:
        old, new = old_by_key.get((code, locale)), new_by_key.get((code, locale))
        if old is None:
            entries.append(PrincipleDiff(code, locale, "added", new["title"], record=new))
        elif new is None:
            entries.append(PrincipleDiff(code, locale, "removed", old["title"], record=old))
        else:
            changes = _field_changes(old, new)
            status: Status = "changed" if changes else "unchanged"
            entries.append(PrincipleDiff(code, locale, status, new["title"], changes))
    return VersionDiff(entries)
