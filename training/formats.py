"""From an audited label to training rows: which label a policy keeps (and on whose word), and
the row shapes TRL reads. Pure: records in, dicts out.

Row shapes (TRL dataset formats):
- sft_messages: {"messages": [...prompt, {"role": "assistant", "content": revision}]}
- sft_prompt_completion: {"prompt": [...], "completion": [{"role": "assistant", ...}]}
- preference: {"prompt": [...], "chosen": [{"role": "assistant", ...}], "rejected": [...]}
- preference_plain: {"prompt": "text", "chosen": "text", "rejected": "text"}
- kto: {"prompt": [...], "completion": [...], "label": true|false}, two rows per pair
Provenance (label id, principle, version, who decided) goes to a sidecar file, row for row, so
the data file holds exactly the columns the trainers expect.
"""

from typing import NamedTuple

import orjson

GOLD, CONFIRMED, AI = "gold", "ai_confirmed", "ai"
PREFERENCE_FORMATS = ("preference", "preference_plain", "kto")
CRITIQUE_FORMATS = ("sft_messages", "sft_prompt_completion")
AUDIT_FORMATS = ("audit_parquet", "audit_csv")


class Decision(NamedTuple):
    source: str  # gold (humans decided), ai_confirmed (humans agreed with the AI), ai
    chosen: str = ""  # "A" or "B" for preferences
    revision: str = ""  # the revision to train on, for critiques


def decide_preference(record: dict, policy: str, min_confidence: float = 0.0) -> Decision | None:
    """Which response a preference row prefers under `policy`, or None to leave it out."""
    ai = record["choice"] if record["choice"] in ("A", "B") else None
    audited = record["gold_ai_correct"] is not None
    gold = record["gold_preference"] if record["gold_preference"] in ("A", "B") else None
    if policy == "gold_overrides":
        if audited:
            return Decision(GOLD, gold) if gold else None
        return Decision(AI, ai) if ai else None
    if policy == "drop_disagreements":
        if audited and not record["gold_ai_correct"]:
            return None
        return Decision(CONFIRMED if audited else AI, ai) if ai else None
    if policy == "ai_confident":
        return Decision(AI, ai) if ai and record["confidence"] >= min_confidence else None
    if policy == "audited_only":
        return Decision(GOLD, gold) if audited and gold else None
    raise ValueError(f"Unknown label policy {policy!r}")


def decide_revision(record: dict, policy: str) -> Decision | None:
    """Which revision a critique row trains on under `policy`, or None to leave it out. Where
    humans judged the AI's revision wrong, a reviewer's corrected revision replaces it."""
    audited = record["gold_ai_correct"] is not None
    wrong = audited and not record["gold_ai_correct"]
    corrected = record.get("corrected_revision") or ""
    if policy == "ai_confident":
        return Decision(AI, revision=record["revision"])
    if policy == "audited_only" and not audited:
        return None
    if wrong:
        if policy == "drop_disagreements" or not corrected:
            return None
        return Decision(GOLD, revision=corrected)
    return Decision(CONFIRMED if audited else AI, revision=record["revision"])


def messages(prompt) -> list[dict]:
    """The stored prompt (JSON text or list) as chat messages."""
    turns = orjson.loads(prompt) if isinstance(prompt, str | bytes) else prompt
    return [{"role": turn["role"], "content": turn["content"]} for turn in turns]


def plain_prompt(turns: list[dict]) -> str:
    """A single user turn as its text; a conversation as a transcript ending with the
    assistant's cue, so a plain completion follows on."""
    if len(turns) == 1 and turns[0]["role"] == "user":
        return turns[0]["content"]
    lines = [f"{turn['role'].capitalize()}: {turn['content']}" for turn in turns]
    return "\n\n".join(lines) + "\n\nAssistant:"


def assistant(text: str) -> list[dict]:
    return [{"role": "assistant", "content": text}]


def prompt_json(prompt):
    """The stored prompt for a JSON row: its JSON text passed through unparsed (the importer
    stored it as [{role, content}, ...]), or the list itself."""
    return orjson.Fragment(prompt) if isinstance(prompt, str | bytes) else prompt


def training_rows(fmt: str, record: dict, decision: Decision) -> list[dict]:
    if fmt == "sft_prompt_completion":
        return [
            {"prompt": prompt_json(record["prompt"]), "completion": assistant(decision.revision)}
        ]
    if fmt == "sft_messages":
        return [{"messages": messages(record["prompt"]) + assistant(decision.revision)}]
    a, b = record["response_a"], record["response_b"]
    chosen, rejected = (a, b) if decision.chosen == "A" else (b, a)
    if fmt == "preference_plain":
        return [
            {
                "prompt": plain_prompt(messages(record["prompt"])),
                "chosen": chosen,
                "rejected": rejected,
            }
        ]
    turns = prompt_json(record["prompt"])
    if fmt == "preference":
        return [{"prompt": turns, "chosen": assistant(chosen), "rejected": assistant(rejected)}]
    if fmt == "kto":
        return [
            {"prompt": turns, "completion": assistant(chosen), "label": True},
            {"prompt": turns, "completion": assistant(rejected), "label": False},
        ]
    raise ValueError(f"Unknown training format {fmt!r}")


AUDIT_COLUMNS = (
    "label_id", "run_id", "constitution_version_id", "labeled_by", "label_source",
    "principle_code", "principle_category", "locale", "domain", "labeled_at", "prompt",
    "response_a", "response_b", "ai_choice", "ai_p_a", "ai_confidence", "position_stuck",
    "critique", "revision", "reviews", "reviews_agreeing", "gold_preference", "gold_ai_correct",
    "gold_source", "corrected_revision", "policy_source", "policy_label",
)  # fmt: skip


def audit_row(record: dict, decision: Decision | None) -> dict:
    """The full audit record of one AI label, and what the policy made of it."""
    turns = messages(record["prompt"])
    return {
        "label_id": record["label_id"],
        "run_id": record["run_id"],
        "constitution_version_id": record["version_id"],
        "labeled_by": record["labeled_by"],
        "label_source": record["label_source"],
        "principle_code": record["principle_code"],
        "principle_category": record["principle_category"],
        "locale": record["locale"],
        "domain": record["domain"],
        "labeled_at": str(record["labeled_at"]),
        "prompt": plain_prompt(turns),
        "response_a": record["response_a"],
        "response_b": record.get("response_b") or "",
        "ai_choice": record.get("choice") or "",
        "ai_p_a": record.get("p_a"),
        "ai_confidence": record.get("confidence"),
        "position_stuck": record.get("position_stuck"),
        "critique": record.get("critique") or "",
        "revision": record.get("revision") or "",
        "reviews": record["reviews"] or 0,
        "reviews_agreeing": record["reviews_agreeing"] or 0,
        "gold_preference": record.get("gold_preference") or "",
        "gold_ai_correct": record["gold_ai_correct"],
        "gold_source": record["gold_source"] or "",
        "corrected_revision": record.get("corrected_revision") or "",
        "policy_source": decision.source if decision else "",
        "policy_label": (decision.chosen or decision.revision) if decision else "",
    }
