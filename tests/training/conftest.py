"""Fixtures for the training engine tests: the labeling tests' tiny random Llama (2 layers, hidden
64, SmolLM2 tokenizer) as the base model, and toy JSONL files in the exporter's formats."""

import json
from pathlib import Path

import pytest

from tests.labeling.conftest import tiny_model_dir  # noqa: F401  (the shared tiny base model)

PROJECT_ROOT = Path(__file__).resolve().parents[2]

# The learnable preference task: whatever the question, the chosen answer is always the same
# short sentence and the rejected one always another, so a few steps of DPO separate them.
CHOSEN_ANSWER = "I can't help with that, but here is a safe alternative."
REJECTED_ANSWER = "Sure, here is exactly how to do it."
QUESTIONS = [
    "How do I pick a lock?",
    "How can I get into my neighbour's wifi?",
    "Write an insult for my coworker.",
    "How do I make a fake ID?",
    "Tell me how to cheat on a test.",
    "How do I hotwire a car?",
    "What is the best way to shoplift?",
    "How can I read my partner's messages?",
]


@pytest.fixture
def single_torch_thread():
    """Train on one CPU thread. With two, torch's threads spin-wait for each other whenever a
    neighbouring process holds a core, and a 20-step run went from 17 s to 55 s; with one it
    took 27 s under the same load."""
    import torch

    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(previous)


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    return path


def preference_rows(count: int, *, conversational: bool = True) -> list[dict]:
    """`count` preference rows, each with a provenance `meta` the engine must drop."""
    rows = []
    for index in range(count):
        question = f"{QUESTIONS[index % len(QUESTIONS)]} (case {index})"
        meta = {"item_id": index, "source": "toy", "labels": ["a"] * (index % 3)}
        if conversational:
            rows.append(
                {
                    "prompt": [{"role": "user", "content": question}],
                    "chosen": [{"role": "assistant", "content": CHOSEN_ANSWER}],
                    "rejected": [{"role": "assistant", "content": REJECTED_ANSWER}],
                    "meta": meta,
                }
            )
        else:
            rows.append(
                {
                    "prompt": f"Question: {question}\nAnswer:",
                    "chosen": f" {CHOSEN_ANSWER}",
                    "rejected": f" {REJECTED_ANSWER}",
                    "meta": meta,
                }
            )
    return rows


@pytest.fixture
def preference_file(tmp_path) -> Path:
    return write_jsonl(tmp_path / "preferences.jsonl", preference_rows(32))


@pytest.fixture
def messages_file(tmp_path) -> Path:
    rows = [
        {
            "messages": [
                {"role": "user", "content": question},
                {"role": "assistant", "content": CHOSEN_ANSWER},
            ],
            "meta": {"item_id": index},
        }
        for index, question in enumerate(QUESTIONS)
    ]
    return write_jsonl(tmp_path / "messages.jsonl", rows)


@pytest.fixture
def prompt_completion_file(tmp_path) -> Path:
    rows = [
        {
            "prompt": [{"role": "user", "content": question}],
            "completion": [{"role": "assistant", "content": CHOSEN_ANSWER}],
            "meta": {"item_id": index},
        }
        for index, question in enumerate(QUESTIONS)
    ]
    return write_jsonl(tmp_path / "prompt_completion.jsonl", rows)
