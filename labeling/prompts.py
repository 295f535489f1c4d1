"""Prompt templates for the critic and the judge. Pure: plain data in, chat conversations out.

Templates are code; each label stores the sha256 of the template it used, and the text itself is
stored once per hash (PromptTemplate), so a label can always be traced to the exact prompt.
Changing a template's text changes its hash, which is the versioning.
"""

import hashlib
from dataclasses import dataclass

MAX_MESSAGE_CHARS = 2_000

JUDGE_SYSTEM = "You are a careful and impartial judge of AI assistant responses."
# Pre-filled start of the judge's answer: the next token must then be the option letter, so the
# probability mass lands on A/B instead of on "The answer is...".
JUDGE_ANSWER_PREFIX = "The better response is Response"

CRITIQUE = """Here is a conversation between a user and an AI assistant.

{conversation}

Critique request: {critique_request}
{few_shot}Write a short critique of the assistant's last response."""

REVISION = """Here is a conversation between a user and an AI assistant.

{conversation}

Critique: {critique}

Revision request: {revision_instruction}
Write only the revised assistant response, nothing else."""

JUDGE = """Consider this conversation between a user and an AI assistant.

{conversation}

Principle: {principle}

Response A:
{response_a}

Response B:
{response_b}

Which response better follows the principle? Answer with the single letter A or B."""

TEMPLATES = {
    "critique": CRITIQUE,
    "revision": REVISION,
    "judge": f"{JUDGE_SYSTEM}\n\n{JUDGE}\n\n{JUDGE_ANSWER_PREFIX}",
}
OPTIONS = ("A", "B")


def template_hash(kind: str) -> str:
    return hashlib.sha256(TEMPLATES[kind].encode()).hexdigest()


@dataclass(frozen=True)
class PrincipleText:
    code: str
    locale: str  # "" for the global text, else the addendum's locale
    critique_request: str
    revision_instruction: str
    few_shot_example: str = ""
    title: str = ""
    category: str = ""

    @property
    def statement(self) -> str:
        """The principle as the judge reads it."""
        return f"{self.title}. {self.critique_request}" if self.title else self.critique_request


def _clip(text: str) -> str:
    return text if len(text) <= MAX_MESSAGE_CHARS else text[:MAX_MESSAGE_CHARS] + " [...]"


def render_conversation(messages: list[dict], response: str | None = None) -> str:
    names = {"user": "User", "assistant": "Assistant", "system": "System"}
    lines = [f"{names.get(m['role'], m['role'])}: {_clip(m['content'])}" for m in messages]
    if response is not None:
        lines.append(f"Assistant: {_clip(response)}")
    return "\n".join(lines)


def critique_conversation(prompt: list[dict], response: str, principle: PrincipleText) -> list:
    few_shot = f"Example:\n{principle.few_shot_example}\n" if principle.few_shot_example else ""
    text = CRITIQUE.format(
        conversation=render_conversation(prompt, response),
        critique_request=principle.critique_request,
        few_shot=few_shot,
    )
    return [{"role": "user", "content": text}]


def revision_conversation(
    prompt: list[dict], response: str, critique: str, principle: PrincipleText
) -> list:
    text = REVISION.format(
        conversation=render_conversation(prompt, response),
        critique=critique.strip(),
        revision_instruction=principle.revision_instruction,
    )
    return [{"role": "user", "content": text}]


def judge_conversation(
    prompt: list[dict], response_a: str, response_b: str, principle_text: str
) -> list:
    text = JUDGE.format(
        conversation=render_conversation(prompt),
        principle=principle_text,
        response_a=_clip(response_a),
        response_b=_clip(response_b),
    )
    return [
        {"role": "system", "content": JUDGE_SYSTEM},
        {"role": "user", "content": text},
        {"role": "assistant", "content": JUDGE_ANSWER_PREFIX},
    ]
