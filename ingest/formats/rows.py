"""One row to one label record, for each kind: preference verdicts, critiques with revisions,
and safety verdicts. Pure: a row dict and the import's RowContext in, a LabelRecord out, or a
RowProblem saying what is wrong with the row.

The item part of a row (prompt as text or chat messages, the responses, metadata) is read by
labeling.importing's item rows, so items imported with labels are the same as items imported
alone. A TRL `chosen`/`rejected` pair here means "the AI chose `chosen`": it is placed at A or B
by the same hash as item import, and the AI's verdict points at that position."""

import math
from datetime import UTC, datetime
from typing import Any

from labeling.choices import VerdictClass
from labeling.importing import MAX_TEXT, record_from_row
from labeling.judging import choice_of, combine_orders
from stats import entropy_bits

from .records import LabelRecord, RowContext, RowProblem

# Columns that describe the label, not the item (kept out of the item's metadata).
LABEL_COLUMNS = frozenset({
    "choice", "p_a", "p_a_first", "p_a_second", "confidence", "option_mass", "rationale",
    "principle", "constitution_version", "version", "judge", "timestamp", "preferred",
    "human_choice", "class", "output", "raw_output", "categories", "p_violation", "p_refusal",
    "p_safe", "p_unsafe", "critique", "revision", "critic_prompt", "critic_response",
    "revision_prompt", "revision_response", "init_prompt", "init_response", "kind",
})  # fmt: skip
MAX_RATIONALE = 20_000
_PAIR_COLUMNS = frozenset({"chosen", "rejected", "response_a", "response_b", "messages"})
_CHOICES = {"a": "A", "b": "B", "tie": "tie"}


def _unit(row: dict, name: str) -> float | None:
    value = row.get(name)
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        raise RowProblem(f"{name} must be a probability between 0 and 1 (got {value!r})")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise RowProblem(f"{name} must be a probability between 0 and 1 (got {value!r})") from None
    if not (math.isfinite(number) and 0.0 <= number <= 1.0):
        raise RowProblem(f"{name} must be a probability between 0 and 1 (got {value!r})")
    return number


def _optional_text(row: dict, name: str, limit: int) -> str:
    value = row.get(name)
    if value in (None, ""):
        return ""
    if not isinstance(value, str):
        raise RowProblem(f"{name} must be text")
    if len(value) > limit:
        raise RowProblem(f"{name} is longer than {limit:,} characters")
    return value


def _required_text(row: dict, name: str) -> str:
    value = _optional_text(row, name, MAX_TEXT)
    if not value.strip():
        raise RowProblem(f"{name} must be non-empty text (not blank)")
    return value


def _timestamp(value: Any) -> datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if not (math.isfinite(value) and 0 <= value < 32_503_680_000):
            raise RowProblem(f"timestamp is out of range (got {value!r})")
        return datetime.fromtimestamp(value, tz=UTC)
    elif isinstance(value, str) and len(value) <= 40:
        try:
            moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            raise RowProblem(f"timestamp must be ISO 8601 (got {value!r})") from None
    else:
        raise RowProblem(f"timestamp must be ISO 8601 text or seconds since 1970 (got {value!r})")
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _item(row: dict, line: int, drop: frozenset = frozenset(), **renamed: str):
    """The item part of the row (label columns, and `drop`, left out of its metadata)."""
    leave_out = LABEL_COLUMNS | drop if drop else LABEL_COLUMNS
    item_row = {k: v for k, v in row.items() if k not in leave_out}
    for name, column in renamed.items():
        if column in row:
            item_row[name] = row[column]
    return record_from_row(item_row, line)


def _common(row: dict, line: int, kind: str, ctx: RowContext, item, principle=None) -> LabelRecord:
    version = ctx.version_of(row.get("constitution_version", row.get("version")))
    facts = principle(version) if principle else ctx.principle_of(row.get("principle"), version)
    return LabelRecord(
        line=line,
        kind=kind,
        item=item,
        principle=facts,
        version=version,
        judge=ctx.judge_of(row.get("judge")),
        external_id=item.external_id,
        made_at=_timestamp(row.get("timestamp")),
        rationale=_optional_text(row, "rationale", MAX_RATIONALE),
    )  # fmt: skip


def _one_order(p_a: float) -> dict:
    return {
        "p_a_first": None, "p_a_second": None, "p_a": p_a, "confidence": max(p_a, 1 - p_a),
        "margin": abs(2 * p_a - 1), "entropy": entropy_bits((p_a, 1 - p_a)),
        "position_stuck": False, "choice": choice_of(p_a),
    }  # fmt: skip


_PREFERENCE_VALUES = tuple(_one_order(0.5))


def _preference_values(row: dict, chosen_at: str) -> dict:
    first, second = _unit(row, "p_a_first"), _unit(row, "p_a_second")
    if (first is None) != (second is None):
        raise RowProblem("p_a_first and p_a_second come together (or give p_a alone)")
    if first is not None:
        judgment = combine_orders(first, second)
        return {k: getattr(judgment, k) for k in _PREFERENCE_VALUES}
    if (p_a := _unit(row, "p_a")) is not None:
        return _one_order(p_a)
    confidence = _unit(row, "confidence")
    if confidence is not None and confidence < 0.5:
        raise RowProblem(
            f"confidence is the chosen option's probability: at least 0.5 (got {confidence})"
        )
    choice = row.get("choice")
    if choice in (None, "") and chosen_at:
        choice = chosen_at
    if choice in (None, ""):
        raise RowProblem(
            "needs a verdict: choice, p_a, p_a_first + p_a_second, or chosen + rejected"
        )
    choice = _CHOICES.get(str(choice).strip().lower()) if isinstance(choice, str) else None
    if choice is None:
        raise RowProblem(f"choice must be A, B or tie (got {row.get('choice')!r})")
    sure = 1.0 if confidence is None else confidence
    values = _one_order({"A": sure, "B": 1 - sure, "tie": 0.5}[choice])
    values["choice"] = choice  # a tie stays a tie, a choice at 0.5 confidence stays the choice
    return values  # fmt: skip


def preference_record(row: dict, line: int, ctx: RowContext) -> LabelRecord:
    """prompt + response_a + response_b, or TRL chosen + rejected (the AI chose chosen)."""
    item = _item(row, line)
    if item.kind != "pair":
        raise RowProblem("a preference needs response_a + response_b, or chosen + rejected")
    chosen_at = ""
    if "chosen" in row:  # item rows put the chosen reply at the hashed position
        chosen_at, item.human_choice = item.human_choice, ""
    human = row.get("human_choice", row.get("preferred")) or ""
    if isinstance(human, str) and human.strip().lower() in ("chosen", "rejected") and chosen_at:
        other = "B" if chosen_at == "A" else "A"
        human = chosen_at if human.strip().lower() == "chosen" else other
    if human not in ("", "A", "B"):
        raise RowProblem(f"human_choice must be A or B (got {human!r})")
    item.human_choice = human
    record = _common(row, line, "preference", ctx, item)
    record.values = _preference_values(row, chosen_at)
    record.values["option_mass"] = _unit(row, "option_mass")
    return record


def critique_record(row: dict, line: int, ctx: RowContext) -> LabelRecord:
    """Our names (prompt, response, critique, revision, principle) or the HF constitutional-AI
    columns (init_prompt, init_response, critic_prompt, critic_response, revision_response): the
    principle by code, else by matching the critique request to a principle's text."""
    # The HF recipe's rows also carry the chosen/rejected conversations built from them.
    item = _item(row, line, _PAIR_COLUMNS, prompt="init_prompt", response="init_response")
    if item.kind != "single":
        raise RowProblem("a critique needs prompt + response (or init_prompt + init_response)")
    critique = _required_text(row, "critique" if "critique" in row else "critic_response")
    revision = _required_text(row, "revision" if "revision" in row else "revision_response")
    request = row.get("critic_prompt")
    principle = None
    if row.get("principle") in (None, "") and isinstance(request, str) and request.strip():
        text = request.strip()
        text = (
            text[len("critique request:") :]
            if text.lower().startswith("critique request:")
            else text
        )

        def principle(version: int):
            return ctx.principle_by_request(text, version)

    record = _common(row, line, "critique", ctx, item, principle)
    record.values = {"critique": critique, "revision": revision}
    return record  # fmt: skip


def _categories(value: Any) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = [part.strip() for part in value.split(",")]
    if not isinstance(value, list) or not all(isinstance(c, str) and len(c) <= 32 for c in value):
        raise RowProblem("categories must be a list of codes of at most 32 characters")
    return [code for code in value if code][:50]


def _classifier_output(text: str, ctx: RowContext) -> tuple[str, list[str], str]:
    """A Llama Guard style output ("safe", or "unsafe" then a line of codes) -> verdict,
    codes and harm category, by the source's category table."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    head = lines[0].lower() if lines else ""
    if head == "safe":
        return VerdictClass.SAFE, [], ""
    if head != "unsafe":
        raise RowProblem(f"output must start with 'safe' or 'unsafe' (got {text[:40]!r})")
    codes = _categories(lines[1] if len(lines) > 1 else "")
    unknown = [code for code in codes if code not in ctx.categories]
    if unknown:
        raise RowProblem(
            f"category {', '.join(unknown)} has no mapping for this source "
            "(add it to the source's category table)"
        )
    if not codes:
        return VerdictClass.VIOLATION, [], ""
    harm, verdict = ctx.categories[codes[0]]
    return verdict, codes, harm


def safety_record(row: dict, line: int, ctx: RowContext) -> LabelRecord:
    """prompt + response, and `class` (violation, refusal, safe) or a classifier's raw `output`
    mapped by the source's category table; optional probabilities p_violation, p_refusal, p_safe
    (or p_unsafe)."""
    item = _item(row, line)
    if item.kind != "single":
        raise RowProblem("a safety verdict needs prompt + response")
    raw = _optional_text(row, "output", 10_000) or _optional_text(row, "raw_output", 10_000)
    verdict_class = row.get("class")
    if verdict_class not in (None, ""):
        if verdict_class not in VerdictClass.values:
            raise RowProblem(f"class must be violation, refusal or safe (got {verdict_class!r})")
        verdict, codes, harm = verdict_class, _categories(row.get("categories")), ""
    elif raw:
        verdict, codes, harm = _classifier_output(raw, ctx)
    else:
        raise RowProblem("needs a verdict: class (violation, refusal, safe) or a classifier output")
    if harm and not item.harm_category:
        item.harm_category = harm
    p_violation, p_refusal, p_safe = (_unit(row, n) for n in ("p_violation", "p_refusal", "p_safe"))
    if (p_unsafe := _unit(row, "p_unsafe")) is not None:
        p_violation = p_unsafe if p_violation is None else p_violation
        p_safe = 1 - p_unsafe if p_safe is None else p_safe
    probability = {"violation": p_violation, "refusal": p_refusal, "safe": p_safe}[verdict]
    record = _common(row, line, "safety", ctx, item)
    record.values = {
        "verdict": verdict, "p_violation": p_violation, "p_refusal": p_refusal, "p_safe": p_safe,
        "confidence": 1.0 if probability is None else probability, "categories": codes,
        "raw_output": raw,
    }  # fmt: skip
    return record


ROW_PARSERS = {
    "preference": preference_record,
    "critique": critique_record,
    "safety": safety_record,
}
KINDS = tuple(ROW_PARSERS)
