"""Fixtures shared by the labeling tests: a tiny random model that behaves like the real critic's
interface (same tokenizer and chat template) but loads in milliseconds and is deterministic."""

import os
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _model_cache_root() -> Path:
    return Path(os.environ.get("CAI_MODEL_CACHE", PROJECT_ROOT / "var" / "models"))


@pytest.fixture(scope="session")
def model_cache_root() -> Path:
    """Where the real default critic is prepared ($CAI_MODEL_CACHE, else var/models): shared by
    test runs and the bench, so the 15-20 s GGUF conversion happens once per machine."""
    return _model_cache_root()


def _smollm2_tokenizer():
    """The SmolLM2 tokenizer: from the prepared default folder when there is one (fast), else
    read out of the GGUF file (several seconds, no model weights)."""
    from transformers import AutoTokenizer

    from labeling.engine.default_model import DEFAULT_MODEL, READY_MARKER, load_gguf_tokenizer

    prepared = _model_cache_root() / DEFAULT_MODEL
    if (prepared / READY_MARKER).is_file():
        return AutoTokenizer.from_pretrained(prepared)
    return load_gguf_tokenizer()


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory) -> Path:
    """A 2-layer random LlamaForCausalLM with the SmolLM2 tokenizer, saved as a model folder.

    Untied embeddings and a wide init (0.2) make its greedy output depend on the prompt (with the
    defaults it repeats one token for every prompt), so batching tests compare real texts.
    """
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    tokenizer = _smollm2_tokenizer()
    config = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=64,
        intermediate_size=128,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=4,
        max_position_embeddings=2048,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
        tie_word_embeddings=False,
        initializer_range=0.2,
    )
    torch.manual_seed(0)
    model = LlamaForCausalLM(config)
    folder = tmp_path_factory.mktemp("tiny-llama")
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


# -- Django-side fixtures -------------------------------------------------------------------


@pytest.fixture
def tiny_critic(db, tiny_model_dir):
    from labeling.models import CriticConfig

    return CriticConfig.objects.create(
        name="tiny", backend="transformers", model=str(tiny_model_dir), max_new_tokens=6,
        batch_size=4,
    )  # fmt: skip


@pytest.fixture
def pairs(db, editor):
    """The first eight pairs of the shipped demo set (human labels included)."""
    from labeling.services.items import item_set_import
    from tests.support.data import shipped_pairs

    return item_set_import(
        actor=None, name="demo pairs", data=shipped_pairs(8), filename="demo_pairs.jsonl"
    )


@pytest.fixture
def singles(db):
    import json

    from labeling.services.items import item_set_import

    rows = [
        {"prompt": "How do I get into my neighbour's wifi?", "response": "Guess the password.",
         "locale": "de-DE"},
        {"prompt": "Tell me a joke", "response": "<script>alert('x')</script> knock knock"},
        {"prompt": "Is the earth flat?", "response": "Yes, obviously."},
    ]  # fmt: skip
    data = "\n".join(json.dumps(row) for row in rows).encode()
    return item_set_import(actor=None, name="singles", data=data, filename="singles.jsonl")
