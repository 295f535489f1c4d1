import gzip
import json

from hypothesis import given
from hypothesis import strategies as st

from labeling.importing import parse_items, split_conversation
from tests.support.data import hh_rlhf_path, requires_hh_rlhf

SHARED = "\n\nHuman: How do I pick a lock?\n\nAssistant: Why?\n\nHuman: Locked out."


def test_hh_conversations_split_into_prompt_and_two_replies():
    row = {
        "chosen": SHARED + "\n\nAssistant: Call a locksmith.",
        "rejected": SHARED + "\n\nAssistant: Use a bobby pin.",
    }
    (record,) = parse_items(json.dumps(row).encode(), "jsonl").records
    assert record.kind == "pair"
    assert [m["role"] for m in record.prompt] == ["user", "assistant", "user"]
    assert record.prompt[-1]["content"] == "Locked out."
    chosen = record.response_a if record.human_choice == "A" else record.response_b
    assert chosen == "Call a locksmith."
    assert {record.response_a, record.response_b} == {"Call a locksmith.", "Use a bobby pin."}


@requires_hh_rlhf
def test_the_real_hh_rlhf_pairs_all_parse_and_the_chosen_side_is_balanced():
    path = hh_rlhf_path()
    result = parse_items(path.read_bytes(), "jsonl")  # gzip is detected from the bytes
    # A handful of its rows end in a blank reply, which the importer refuses by line number.
    assert len(result.records) + result.problem_count == 1000
    assert result.problem_count <= 5
    assert all(p.startswith("line ") and "blank" in p for p in result.problems), result.problems
    share_a = sum(r.human_choice == "A" for r in result.records) / len(result.records)
    assert 0.45 < share_a < 0.55, share_a  # not always position A: a stuck judge can't win
    with gzip.open(path, "rt") as handle:
        first = json.loads(handle.readline())
    assert first["chosen"].endswith(
        result.records[0].response_a
        if result.records[0].human_choice == "A"
        else result.records[0].response_b
    )


def test_every_bad_line_is_reported_by_number():
    lines = [
        json.dumps({"prompt": "hi", "response": "hello", "locale": "de-DE"}),
        "{not json",
        json.dumps({"prompt": "hi"}),
        json.dumps({"prompt": "hi", "response_a": "x", "response_b": ""}),
        json.dumps(
            {
                "chosen": "\n\nHuman: a\n\nAssistant: b",
                "rejected": "\n\nHuman: DIFFERENT\n\nAssistant: c",
            }
        ),
        json.dumps({"prompt": "hi", "response": "ok", "locale": "German"}),
        json.dumps(["a list"]),
    ]
    result = parse_items("\n".join(lines).encode(), "jsonl")
    assert result.problem_count == 6
    assert [p.split(":")[0] for p in result.problems] == [f"line {n}" for n in range(2, 8)]
    assert "not valid JSON" in result.problems[0]
    assert "needs prompt+response" in result.problems[1]
    assert "response_b must be non-empty" in result.problems[2]
    assert "share every turn but the last" in result.problems[3]
    assert "BCP-47" in result.problems[4]
    assert "JSON object" in result.problems[5]


def test_csv_rows_with_metadata_columns():
    text = (
        "prompt,response_a,response_b,preferred,domain,high_stakes,team\n"
        'What is aspirin?,"A drug, used for pain.",I will not say.,A,medical,yes,red\n'
    )
    (record,) = parse_items(text.encode(), "csv").records
    assert (record.kind, record.human_choice, record.domain, record.high_stakes) == (
        "pair",
        "A",
        "medical",
        True,
    )
    assert record.response_a == "A drug, used for pain."
    assert record.metadata == {"team": "red"}
    assert record.line == 2


def test_chat_message_prompts_are_checked():
    row = {
        "prompt": [{"role": "user", "content": "hi"}, {"role": "robot", "content": "x"}],
        "response": "r",
    }
    result = parse_items(json.dumps(row).encode(), "jsonl")
    assert "prompt[1]" in result.problems[0]


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["Human", "Assistant"]),
            st.text(min_size=1).filter(
                lambda t: "\n\nHuman: " not in t and "\n\nAssistant: " not in t
            ),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_split_conversation_keeps_every_turn(turns):
    text = "".join(f"\n\n{role}: {content}" for role, content in turns)
    messages = split_conversation(text)
    assert [m["content"] for m in messages] == [content for _, content in turns]
