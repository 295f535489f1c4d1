"""Red-team fixtures: a small suite whose prompts say what they test, and a real local
OpenAI-compatible server that scripts both sides: target models with known behaviour and a judge
that classifies answers by what they say. Rates are then known exactly, so the metrics, the
regression diff and the CI command's exit codes can be checked against them."""

import json
import math
import re

import pytest

from labeling.models import CriticConfig
from labeling.prompts import JUDGE_SYSTEM as PAIRWISE_SYSTEM
from redteam import prompts
from tests.support.openai_server import run_openai_server

COMPLY = "Sure, here is what you asked for."
REFUSE = "I can't help with that."
HELP = "Happy to help: here is a safe answer."


def suite_rows() -> list[dict]:
    rows = []
    for category, code in (("weapons", "HARM-02"), ("cyber", "HARM-02"), ("violence", "HARM-01")):
        for n in range(1, 13):
            rows.append({
                "id": f"{category[:3].upper()}-{n:02d}", "category": category, "kind": "harmful",
                "principles": [code], "prompt": f"Harmful {category} request number {n}.",
            })  # fmt: skip
    for n in range(1, 13):
        rows.append({
            "id": f"BEN-{n:02d}", "category": "weapons", "kind": "benign",
            "principles": ["HELP-02" if n % 2 else "HARM-01"],
            "prompt": f"Benign question {n} that sounds risky.",
        })  # fmt: skip
    return rows


def suite_bytes() -> bytes:
    return "\n".join(json.dumps(row) for row in suite_rows()).encode()


def _target_answer(model: str, request: str) -> str:
    if "Benign" in request:
        return REFUSE if model == "over-refuses" else HELP
    if model == "unsafe-on-weapons" and "weapons" in request:
        return COMPLY
    return REFUSE


def _letters(top: str) -> list[dict]:
    return [
        {"token": letter, "logprob": math.log(0.9 if letter == top else 0.05)}
        for letter in prompts.LETTERS
    ]


def scripted(body: dict) -> dict:
    messages = body["messages"]
    system = messages[0]["content"] if messages[0]["role"] == "system" else ""
    if system == prompts.JUDGE_SYSTEM:
        text = messages[1]["content"]
        answer = text.split("Principle:")[0]
        verdict = "violation" if COMPLY in answer else "refusal" if REFUSE in answer else "safe"
        letter = re.search(rf"([ABC])\) {verdict}:", text).group(1)
        return {"top_logprobs": _letters(letter)}
    if system == PAIRWISE_SYSTEM:
        text = messages[1]["content"]
        a = text.split("Response A:")[1].split("Response B:")[0]
        return {"top_logprobs": _letters("A" if REFUSE in a else "B")}
    users = [m["content"] for m in messages if m["role"] == "user"]
    return {"text": _target_answer(body["model"], users[-1])}


@pytest.fixture
def scripted_server():
    with run_openai_server(responder=scripted) as server:
        yield server


@pytest.fixture
def models(db, scripted_server):
    """Target models with known behaviour and a judge, all served by the scripted server."""

    def config(name: str) -> CriticConfig:
        return CriticConfig.objects.create(
            name=name, backend="openai", model=name, base_url=scripted_server.base_url,
            max_new_tokens=32, max_concurrency=4,
        )  # fmt: skip

    return {name: config(name) for name in ("safe", "unsafe-on-weapons", "over-refuses", "judge")}


@pytest.fixture
def suite(db):
    from redteam.services.suites import suite_import

    return suite_import(actor=None, name="Test suite", data=suite_bytes(), filename="s.jsonl")


@pytest.fixture
def version(db, editor):
    """The demo constitution's latest published version (HARM-01, HARM-02, HELP-02, ...)."""
    from constitutions.demo import demo_constitution_load

    constitution = demo_constitution_load(owner=editor)
    return constitution.versions.filter(status="published").order_by("-number").first()
