"""Held-out preference accuracy: does the trained model prefer the chosen answer?

A policy (SFT or DPO) prefers the completion with the higher summed log-probability given the
prompt; a reward model the one with the higher scalar reward. Tokenisation follows TRL's own
(chat template for conversational rows, an end token after plain completions) so the numbers
describe the sequences the model was trained on.
"""

from collections.abc import Iterable
from pathlib import Path

from training.engine.data import detect_format

POLICY_METHODS = ("sft", "dpo")


def evaluate_preferences(
    model_dir: str | Path,
    rows: Iterable[dict],
    *,
    method: str,
    max_length: int = 512,
    batch_size: int = 4,
) -> dict:
    """`{"pairs", "accuracy", "mean_margin"}` over preference rows (prompt, chosen, rejected).

    Ties count as wrong. The margin is chosen minus rejected: in summed log-probability (nats) for
    a policy, in reward units for a reward model. No rows gives zero pairs and None statistics.
    """
    rows = [
        {key: row[key] for key in ("prompt", "chosen", "rejected")}
        for row in rows
    ]  # fmt: skip
    if not rows:
        return {"pairs": 0, "accuracy": None, "mean_margin": None}
    detect_format(list(rows[0]))  # a clear error for rows that are not preference pairs
    if method not in (*POLICY_METHODS, "reward"):
        raise ValueError(f"Unknown training method {method!r}.")

    import torch
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    device = "cuda" if torch.cuda.is_available() else "cpu"
    if method == "reward":
        score = _reward_scorer(model_dir, tokenizer, device, max_length)
    else:
        score = _policy_scorer(model_dir, tokenizer, device, max_length)

    margins = []
    for start in range(0, len(rows), batch_size):
        batch = rows[start : start + batch_size]
        chosen = score(batch, "chosen")
        rejected = score(batch, "rejected")
        margins.extend(c - r for c, r in zip(chosen, rejected, strict=True))
    return {
        "pairs": len(margins),
        "accuracy": sum(margin > 0 for margin in margins) / len(margins),
        "mean_margin": sum(margins) / len(margins),
    }


def _is_conversational(row: dict) -> bool:
    return isinstance(row["prompt"], list)


def _chat_ids(tokenizer, messages: list, **kwargs) -> list[int]:
    return list(tokenizer.apply_chat_template(messages, tokenize=True, return_dict=True, **kwargs)[
        "input_ids"
    ])  # fmt: skip


def _prompt_and_completion_ids(tokenizer, row: dict, side: str) -> tuple[list[int], list[int]]:
    """Split like TRL's DPOTrainer: the completion starts where the tokenised prompt and the
    tokenised prompt+completion first differ."""
    if _is_conversational(row):
        prompt_ids = _chat_ids(tokenizer, row["prompt"], add_generation_prompt=True)
        full_ids = _chat_ids(tokenizer, row["prompt"] + row[side])
    else:
        completion = row[side]
        if not completion.endswith(tokenizer.eos_token):
            completion += tokenizer.eos_token
        prompt_ids = list(tokenizer(text=row["prompt"])["input_ids"])
        full_ids = list(tokenizer(text=row["prompt"] + completion)["input_ids"])
    shared = 0
    for left, right in zip(prompt_ids, full_ids, strict=False):
        if left != right:
            break
        shared += 1
    return full_ids[:shared], full_ids[shared:]


def _pad(sequences: list[list[int]], pad_id: int, device):
    import torch

    width = max(len(ids) for ids in sequences)
    input_ids = torch.full((len(sequences), width), pad_id, dtype=torch.long)
    attention = torch.zeros((len(sequences), width), dtype=torch.long)
    for index, ids in enumerate(sequences):
        input_ids[index, : len(ids)] = torch.tensor(ids, dtype=torch.long)
        attention[index, : len(ids)] = 1
    return input_ids.to(device), attention.to(device)


def _policy_scorer(model_dir, tokenizer, device, max_length):
    import torch
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32).to(device).eval()

    @torch.no_grad()
    def score(batch: list[dict], side: str) -> list[float]:
        sequences, starts = [], []
        for row in batch:
            prompt_ids, completion_ids = _prompt_and_completion_ids(tokenizer, row, side)
            # Keep the start, as TRL's default truncation does: the prompt stays whole.
            sequences.append((prompt_ids + completion_ids)[:max_length])
            starts.append(len(prompt_ids))
        input_ids, attention = _pad(sequences, tokenizer.pad_token_id, device)
        logits = model(input_ids=input_ids, attention_mask=attention).logits.float()
        log_probs = torch.log_softmax(logits[:, :-1], dim=-1)
        token_log_probs = log_probs.gather(-1, input_ids[:, 1:].unsqueeze(-1)).squeeze(-1)
        totals = []
        for index, ids in enumerate(sequences):
            # Position p predicts token p + 1: the completion tokens are start .. len - 1.
            first = max(starts[index] - 1, 0)
            totals.append(float(token_log_probs[index, first : len(ids) - 1].sum()))
        return totals

    return score


def _reward_scorer(model_dir, tokenizer, device, max_length):
    import torch
    from transformers import AutoModelForSequenceClassification

    model = AutoModelForSequenceClassification.from_pretrained(
        model_dir, num_labels=1, dtype=torch.float32
    )
    model.config.pad_token_id = tokenizer.pad_token_id
    model = model.to(device).eval()

    @torch.no_grad()
    def score(batch: list[dict], side: str) -> list[float]:
        sequences = []
        for row in batch:
            if _is_conversational(row):
                ids = _chat_ids(tokenizer, row["prompt"] + row[side])
            else:
                completion = row[side]
                if not completion.endswith(tokenizer.eos_token):
                    completion += tokenizer.eos_token
                ids = list(tokenizer(text=row["prompt"] + completion)["input_ids"])
            sequences.append(ids[:max_length])
        input_ids, attention = _pad(sequences, tokenizer.pad_token_id, device)
        rewards = model(input_ids=input_ids, attention_mask=attention).logits[:, 0]
        return [float(value) for value in rewards]

    return score
