"""One row to one record: the accepted row shapes, prompts as text, chat messages or
`\\n\\nHuman:` conversations, the chosen reply's hashed position, and the metadata fields."""

import hashlib
import json
import re
from typing import Any

from cai_audit.text import storable_text_problem, text_is_blank

from .json_values import json_value
from .records import ItemRecord, RowProblem

MAX_TEXT = 100_000
KNOWN = {
    "id",
    "prompt",
    "response",
    "response_a",
    "response_b",
    "preferred",
    "chosen",
    "rejected",
    "domain",
    "harm_category",
    "locale",
    "high_stakes",
    "source",
    "metadata",
}
_TURN = re.compile(r"\n\n(Human|Assistant): ")
_ROLES = {"Human": "user", "Assistant": "assistant"}
_LOCALE = re.compile(r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$")


def split_conversation(text: str) -> list[dict[str, str]]:
    """`\\n\\nHuman: hi\\n\\nAssistant: hello` -> chat messages."""
    parts = _TURN.split(text)
    if parts[0].strip():
        raise RowProblem("conversation must start with '\\n\\nHuman: '")
    messages = []
    for role, content in zip(parts[1::2], parts[2::2], strict=True):
        messages.append({"role": _ROLES[role], "content": content})
    if not messages:
        raise RowProblem("no 'Human:' / 'Assistant:' turns found")
    return messages


def _turns_check(messages: list[dict[str, str]], what: str) -> list[dict[str, str]]:
    """Every turn must say something: a blank turn gives the model nothing to answer or judge."""
    if not messages:
        raise RowProblem(f"{what} has no turns")
    for index, message in enumerate(messages):
        if text_is_blank(message["content"]):
            raise RowProblem(f"{what}[{index}] ({message['role']}) is blank")
    return messages


def _as_prompt(value: Any) -> list[dict[str, str]]:
    if isinstance(value, str):
        if text_is_blank(value):
            raise RowProblem("prompt is blank")
        if len(value) > MAX_TEXT:
            raise RowProblem(f"prompt is longer than {MAX_TEXT} characters")
        if value.startswith("\n\nHuman: "):
            return _turns_check(split_conversation(value), "prompt")
        return [{"role": "user", "content": value}]
    if isinstance(value, list) and value:
        for index, message in enumerate(value):
            if (
                not isinstance(message, dict)
                or message.get("role") not in {"system", "user", "assistant"}
                or not isinstance(message.get("content"), str)
            ):
                raise RowProblem(f"prompt[{index}] must be {{role, content}} with a known role")
        messages = [{"role": m["role"], "content": m["content"]} for m in value]
        if sum(len(m["content"]) for m in messages) > MAX_TEXT:
            raise RowProblem(f"prompt is longer than {MAX_TEXT} characters")
        return _turns_check(messages, "prompt")
    raise RowProblem("prompt must be text or a list of chat messages")


def _text(row: dict, name: str) -> str:
    value = row.get(name)
    if not isinstance(value, str) or text_is_blank(value):
        raise RowProblem(f"{name} must be non-empty text (not blank)")
    if len(value) > MAX_TEXT:
        raise RowProblem(f"{name} is longer than {MAX_TEXT} characters")
    return value


def _split_pair(chosen: str, rejected: str) -> tuple[list[dict[str, str]], str, str]:
    chosen_turns, rejected_turns = split_conversation(chosen), split_conversation(rejected)
    if chosen_turns[-1]["role"] != "assistant" or rejected_turns[-1]["role"] != "assistant":
        raise RowProblem("chosen and rejected must end with an Assistant turn")
    if chosen_turns[:-1] != rejected_turns[:-1]:
        raise RowProblem("chosen and rejected must share every turn but the last")
    for name, turns in (("chosen", chosen_turns), ("rejected", rejected_turns)):
        if text_is_blank(turns[-1]["content"]):
            raise RowProblem(f"the final Assistant reply of {name} is blank")
    prompt = _turns_check(chosen_turns[:-1], "the shared turns of chosen and rejected")
    return prompt, chosen_turns[-1]["content"], rejected_turns[-1]["content"]


def _chosen_position(*texts: str) -> str:
    digest = hashlib.sha256("\x1f".join(texts).encode()).digest()
    return "A" if digest[0] % 2 == 0 else "B"


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if value in (None, ""):
        return False
    if isinstance(value, str) and value.strip().lower() in {"1", "true", "yes", "y"}:
        return True
    if isinstance(value, str) and value.strip().lower() in {"0", "false", "no", "n"}:
        return False
    raise RowProblem(f"high_stakes must be true or false (got {value!r})")


def record_from_row(row: dict[str, Any], line: int) -> ItemRecord:
    if "chosen" in row or "rejected" in row:
        chosen, rejected = _text(row, "chosen"), _text(row, "rejected")
        if "prompt" in row:
            prompt = _as_prompt(row["prompt"])
        else:
            prompt, chosen, rejected = _split_pair(chosen, rejected)
        position = _chosen_position(json.dumps(prompt), chosen, rejected)
        a, b = (chosen, rejected) if position == "A" else (rejected, chosen)
        record = ItemRecord(line, "pair", prompt, a, b, human_choice=position)
    elif "response_a" in row or "response_b" in row:
        record = ItemRecord(
            line,
            "pair",
            _as_prompt(row.get("prompt")),
            _text(row, "response_a"),
            _text(row, "response_b"),
        )
        preferred = row.get("preferred") or ""
        if preferred not in ("", "A", "B"):
            raise RowProblem(f"preferred must be A or B (got {preferred!r})")
        record.human_choice = preferred
    elif "response" in row:
        record = ItemRecord(line, "single", _as_prompt(row.get("prompt")), _text(row, "response"))
    else:
        raise RowProblem("needs prompt+response, prompt+response_a+response_b, or chosen+rejected")
    record.external_id = str(row.get("id") or "")[:200]
    for name in ("domain", "harm_category", "source"):
        value = row.get(name) or ""
        if not isinstance(value, str) or len(value) > 100:
            raise RowProblem(f"{name} must be text of at most 100 characters")
        setattr(record, name, value.strip())
    locale = row.get("locale") or ""
    if locale and (not isinstance(locale, str) or not _LOCALE.match(locale)):
        raise RowProblem(f"locale must be a BCP-47 tag like de-DE (got {locale!r})")
    record.locale = locale
    record.high_stakes = _flag(row.get("high_stakes"))
    metadata = row.get("metadata") or {}
    if isinstance(metadata, str):
        metadata = json_value(metadata, "metadata")
        if problem := storable_text_problem({"metadata": metadata}):
            raise RowProblem(problem)
    if not isinstance(metadata, dict):
        raise RowProblem("metadata must be a JSON object")
    extra = {k: v for k, v in row.items() if k not in KNOWN and v not in (None, "")}
    record.metadata = {**extra, **metadata}
    return record
