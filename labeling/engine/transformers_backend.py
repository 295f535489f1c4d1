"""Local Hugging Face transformers backend: any causal LM folder with a chat template.

Prompts are left padded so that every row's last position is its real last token: generation then
continues every row from its own end, and judging can read the next-token distribution at index -1
for the whole batch in a single forward pass.
"""

import threading
import time
from collections.abc import Sequence
from pathlib import Path

from .base import Conversation, Generation, GenerationParams, OptionScores


def pick_device(device: str = "auto") -> str:
    """'auto' means the GPU when there is one; judging on CPU is slow but works everywhere."""
    import torch

    if device != "auto":
        return device
    return "cuda" if torch.cuda.is_available() else "cpu"


def _pick_dtype(dtype, device: str):
    """fp32 on CPU (bf16 matmuls are slow there); bf16 on GPUs that support it."""
    import torch

    if dtype is None:
        if device.startswith("cuda") and torch.cuda.is_bf16_supported():
            return torch.bfloat16
        return torch.float32
    if isinstance(dtype, str):
        return getattr(torch, dtype)
    return dtype


class TransformersBackend:
    """Batched generation and option scoring on a local model; one model call at a time."""

    def __init__(self, model_path, device: str = "auto", dtype=None, batch_size: int = 8):
        from transformers import AutoModelForCausalLM, AutoTokenizer

        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.model_path = Path(model_path)
        self.model_id = f"transformers:{self.model_path.name}"
        self.device = pick_device(device)
        self.batch_size = batch_size
        self.tokenizer = AutoTokenizer.from_pretrained(self.model_path)
        self.tokenizer.padding_side = "left"
        if self.tokenizer.pad_token_id is None:
            self.tokenizer.pad_token = self.tokenizer.eos_token
        self.model = AutoModelForCausalLM.from_pretrained(
            self.model_path, dtype=_pick_dtype(dtype, self.device)
        )
        self.model.to(self.device)
        self.model.eval()
        self._stop_ids = self._end_token_ids()
        # One lock per backend: a model is not safe to call from several threads at once, and two
        # concurrent batches would only compete for the same cores anyway.
        self._lock = threading.Lock()

    def _end_token_ids(self) -> set[int]:
        ids = {self.tokenizer.eos_token_id, self.tokenizer.pad_token_id}
        configured = self.model.generation_config.eos_token_id
        if isinstance(configured, int):
            ids.add(configured)
        elif configured:
            ids.update(configured)
        ids.discard(None)
        return ids

    # -- prompts ---------------------------------------------------------------------------

    def _prompt_texts(self, conversations: Sequence[Conversation]) -> list[str]:
        """A conversation that ends with an assistant message is continued, not answered: the
        judge pre-fills "The better response is Response" so the next token is the option."""
        texts = []
        for conversation in conversations:
            continuing = bool(conversation) and conversation[-1]["role"] == "assistant"
            texts.append(
                self.tokenizer.apply_chat_template(
                    list(conversation),
                    add_generation_prompt=not continuing,
                    continue_final_message=continuing,
                    tokenize=False,
                )
            )
        return texts

    def _encode(self, texts: list[str]):
        # The chat template already writes the special tokens, so none are added here.
        encoded = self.tokenizer(texts, return_tensors="pt", padding=True, add_special_tokens=False)
        return {name: tensor.to(self.device) for name, tensor in encoded.items()}

    def _chunks_by_length(self, texts: list[str]) -> list[list[int]]:
        """Indices grouped into batches of similar length, so little compute goes to padding."""
        lengths = [len(ids) for ids in self.tokenizer(texts, add_special_tokens=False)["input_ids"]]
        order = sorted(range(len(texts)), key=lambda index: lengths[index])
        return [order[i : i + self.batch_size] for i in range(0, len(order), self.batch_size)]

    # -- generation ------------------------------------------------------------------------

    def generate(
        self, conversations: Sequence[Conversation], params: GenerationParams
    ) -> list[Generation]:
        """One Generation per conversation, in input order."""
        import torch

        if not conversations:
            return []
        texts = self._prompt_texts(conversations)
        results: list[Generation | None] = [None] * len(texts)
        sampling = params.temperature > 0
        options = {
            "max_new_tokens": params.max_new_tokens,
            "do_sample": sampling,
            "pad_token_id": self.tokenizer.pad_token_id,
            "eos_token_id": sorted(self._stop_ids),
        }
        if sampling:
            # OpenAI-style sampling: temperature and nucleus only, no top-k cut.
            options.update(temperature=params.temperature, top_p=params.top_p, top_k=0)
        with self._lock, torch.inference_mode():
            if sampling:
                torch.manual_seed(params.seed)  # seeds CUDA too: same call, same samples
            for chunk in self._chunks_by_length(texts):
                started = time.perf_counter()
                encoded = self._encode([texts[index] for index in chunk])
                output = self.model.generate(**encoded, **options)
                new_tokens = output[:, encoded["input_ids"].shape[1] :].tolist()
                latency = time.perf_counter() - started
                for index, tokens in zip(chunk, new_tokens, strict=True):
                    kept = self._until_end(tokens)
                    text = self.tokenizer.decode(kept, skip_special_tokens=True)
                    results[index] = Generation(
                        text=text.strip(), output_tokens=len(kept), latency_s=latency
                    )
        return results  # type: ignore[return-value]

    def _until_end(self, tokens: list[int]) -> list[int]:
        """The tokens before the first end/pad token: what the model actually said."""
        for position, token in enumerate(tokens):
            if token in self._stop_ids:
                return tokens[:position]
        return tokens

    # -- judging ---------------------------------------------------------------------------

    def option_token_ids(self, options: Sequence[str]) -> list[tuple[int, ...]]:
        """For each option, the distinct first tokens of `opt` and `" " + opt`.

        BPE vocabularies spell a letter at the start of a reply ("A") and after a space (" A") as
        different tokens; a model may put its mass on either, so both count for the option.
        """
        if not options:
            raise ValueError("option_probabilities needs at least one option")
        token_sets = []
        for option in options:
            ids = []
            for spelling in (option, " " + option):
                encoded = self.tokenizer.encode(spelling, add_special_tokens=False)
                if encoded and encoded[0] not in ids:
                    ids.append(encoded[0])
            if not ids:
                raise ValueError(f"option {option!r} encodes to no tokens")
            token_sets.append(tuple(ids))
        seen: set[int] = set()
        for option, ids in zip(options, token_sets, strict=True):
            if seen.intersection(ids):
                raise ValueError(f"option {option!r} shares its first token with another option")
            seen.update(ids)
        return token_sets

    def option_probabilities(
        self, conversations: Sequence[Conversation], options: Sequence[str]
    ) -> list[OptionScores]:
        """Next-token probabilities of the options, one forward pass per batch, in input order."""
        import torch

        token_sets = self.option_token_ids(options)
        if not conversations:
            return []
        texts = self._prompt_texts(conversations)
        results: list[OptionScores | None] = [None] * len(texts)
        with self._lock, torch.inference_mode():
            for chunk in self._chunks_by_length(texts):
                started = time.perf_counter()
                encoded = self._encode([texts[index] for index in chunk])
                mask = encoded["attention_mask"]
                # Left padding shifts every row; positions must count real tokens only.
                positions = (mask.long().cumsum(-1) - 1).clamp(min=0)
                logits = self.model(
                    input_ids=encoded["input_ids"],
                    attention_mask=mask,
                    position_ids=positions,
                    logits_to_keep=1,
                ).logits[:, -1, :]
                probabilities = torch.softmax(logits.float(), dim=-1)
                raw = torch.stack(
                    [probabilities[:, list(ids)].sum(dim=-1) for ids in token_sets], dim=-1
                ).tolist()
                latency = time.perf_counter() - started
                for index, row in zip(chunk, raw, strict=True):
                    results[index] = _scores_from_raw(row, latency)
        return results  # type: ignore[return-value]


def _scores_from_raw(raw: Sequence[float], latency_s: float) -> OptionScores:
    """Renormalise raw option probabilities; uniform when the model gave them no mass at all."""
    mass = float(sum(raw))
    if mass > 0:
        probabilities = tuple(float(value) / mass for value in raw)
    else:
        probabilities = tuple(1.0 / len(raw) for _ in raw)
    extra = {"raw": [float(value) for value in raw]}
    return OptionScores(probabilities=probabilities, mass=mass, latency_s=latency_s, extra=extra)
