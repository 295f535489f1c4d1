"""Label policies and row shapes (pure)."""

import orjson
import pytest

from training.formats import (
    decide_preference,
    decide_revision,
    plain_prompt,
    training_rows,
)

PROMPT = '[{"role": "user", "content": "How do I pick a lock?"}]'


def preference(choice="A", gold=None, correct=None, confidence=0.9) -> dict:
    return {"choice": choice, "gold_preference": gold, "gold_ai_correct": correct,
            "confidence": confidence, "prompt": PROMPT, "response_a": "No.",
            "response_b": "Sure."}  # fmt: skip


def critique(correct=None, corrected="") -> dict:
    return {"gold_ai_correct": correct, "corrected_revision": corrected, "revision": "AI rev",
            "prompt": PROMPT}  # fmt: skip


@pytest.mark.parametrize(
    ("record", "policy", "expected"),
    [
        (preference(), "gold_overrides", ("ai", "A")),
        (preference(gold="B", correct=False), "gold_overrides", ("gold", "B")),
        (preference(gold="both_bad", correct=False), "gold_overrides", None),
        (preference(choice="tie"), "gold_overrides", None),
        (preference(gold="B", correct=False), "drop_disagreements", None),
        (preference(gold="A", correct=True), "drop_disagreements", ("ai_confirmed", "A")),
        (preference(), "drop_disagreements", ("ai", "A")),
        (preference(confidence=0.6), "ai_confident", None),
        (preference(confidence=0.8, gold="B", correct=False), "ai_confident", ("ai", "A")),
        (preference(), "audited_only", None),
        (preference(gold="B", correct=False), "audited_only", ("gold", "B")),
    ],
)
def test_preference_policies(record, policy, expected):
    decision = decide_preference(record, policy, min_confidence=0.7)
    assert (decision and (decision.source, decision.chosen)) == expected or (
        decision is None and expected is None
    )


@pytest.mark.parametrize(
    ("record", "policy", "expected"),
    [
        (critique(), "gold_overrides", ("ai", "AI rev")),
        (critique(correct=True), "gold_overrides", ("ai_confirmed", "AI rev")),
        (critique(correct=False, corrected="Human rev"), "gold_overrides", ("gold", "Human rev")),
        (critique(correct=False), "gold_overrides", None),
        (critique(correct=False, corrected="Human rev"), "drop_disagreements", None),
        (critique(), "audited_only", None),
        (critique(correct=True), "audited_only", ("ai_confirmed", "AI rev")),
        (critique(correct=False), "ai_confident", ("ai", "AI rev")),
    ],
)
def test_revision_policies(record, policy, expected):
    decision = decide_revision(record, policy)
    got = (decision.source, decision.revision) if decision else None
    assert got == expected


def test_row_shapes_are_what_trl_reads():
    decision = decide_preference(preference(gold="B", correct=False), "gold_overrides")
    (row,) = training_rows("preference", preference(), decision)
    parsed = orjson.loads(orjson.dumps(row))
    assert parsed == {
        "prompt": [{"role": "user", "content": "How do I pick a lock?"}],
        "chosen": [{"role": "assistant", "content": "Sure."}],
        "rejected": [{"role": "assistant", "content": "No."}],
    }
    (plain,) = training_rows("preference_plain", preference(), decision)
    assert plain == {"prompt": "How do I pick a lock?", "chosen": "Sure.", "rejected": "No."}
    kto = training_rows("kto", preference(), decision)
    assert [r["label"] for r in kto] == [True, False]
    revision = decide_revision(critique(), "gold_overrides")
    (sft,) = training_rows("sft_messages", critique(), revision)
    assert sft["messages"][-1] == {"role": "assistant", "content": "AI rev"}
    (pc,) = training_rows("sft_prompt_completion", critique(), revision)
    assert orjson.loads(orjson.dumps(pc))["completion"] == [
        {"role": "assistant", "content": "AI rev"}
    ]


def test_a_conversation_becomes_a_transcript_ending_with_the_assistant_cue():
    turns = [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"},
             {"role": "user", "content": "and?"}]  # fmt: skip
    assert plain_prompt(turns) == "User: hi\n\nAssistant: hello\n\nUser: and?\n\nAssistant:"


def test_an_unknown_policy_is_an_error():
    with pytest.raises(ValueError, match="Unknown label policy"):
        decide_preference(preference(), "whatever")
