"""The one small interface every AI feature uses.

A conversation is a list of chat messages: [{"role": "system"|"user"|"assistant", "content": str}].
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from cai_audit.work.errors import TransientError

Message = dict[str, str]
Conversation = list[Message]


@dataclass(frozen=True)
class GenerationParams:
    max_new_tokens: int = 160
    temperature: float = 0.0  # 0 means greedy decoding
    top_p: float = 1.0
    seed: int = 0

    def as_dict(self) -> dict:
        return {
            "max_new_tokens": self.max_new_tokens,
            "temperature": self.temperature,
            "top_p": self.top_p,
            "seed": self.seed,
        }


@dataclass(frozen=True)
class Generation:
    text: str
    output_tokens: int
    latency_s: float  # wall time of the call that produced it (shared by a batch)


@dataclass(frozen=True)
class OptionScores:
    """Probabilities of the option tokens as the next token after the prompt.

    `probabilities` is renormalised over the options (sums to 1); `mass` is the raw probability
    the model gave the options together, which tells how well the prompt constrained it.
    """

    probabilities: tuple[float, ...]
    mass: float
    latency_s: float
    extra: dict = field(default_factory=dict)


class BackendError(TransientError):
    """A backend failed in a way a retry may fix (timeouts, HTTP 5xx, connection errors)."""


class ModelBackend(Protocol):
    #: Identifies the model in provenance records, e.g. "transformers:/path" or "openai:llama3".
    model_id: str

    def generate(
        self, conversations: Sequence[Conversation], params: GenerationParams
    ) -> list[Generation]: ...

    def option_probabilities(
        self, conversations: Sequence[Conversation], options: Sequence[str]
    ) -> list[OptionScores]: ...
