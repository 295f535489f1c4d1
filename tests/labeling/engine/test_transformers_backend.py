"""The local transformers backend, on the tiny random Llama with the real SmolLM2 tokenizer."""

import threading

import pytest

from labeling.engine.base import GenerationParams
from labeling.engine.transformers_backend import TransformersBackend

CONVERSATIONS = [
    [{"role": "user", "content": "Hello"}],
    [{"role": "user", "content": "How do I bake bread at home without yeast? " * 3}],
    [
        {"role": "system", "content": "You are a careful judge."},
        {"role": "user", "content": "Which response is better, A or B?"},
    ],
    [{"role": "user", "content": "Tell me a joke."}],
    [
        {"role": "user", "content": "Hi"},
        {"role": "assistant", "content": "Hello! How can I help?"},
        {"role": "user", "content": "Write a haiku about rivers and mountains, please."},
    ],
    [{"role": "user", "content": "x " * 40}],
]
GREEDY = GenerationParams(max_new_tokens=10)


@pytest.fixture(scope="module")
def backend(tiny_model_dir):
    return TransformersBackend(tiny_model_dir, device="cpu", batch_size=4)


@pytest.fixture(scope="module")
def backend_b1(tiny_model_dir):
    return TransformersBackend(tiny_model_dir, device="cpu", batch_size=1)


def test_model_id_names_the_folder(backend, tiny_model_dir):
    assert backend.model_id == f"transformers:{tiny_model_dir.name}"


def test_generate_returns_one_generation_per_conversation(backend):
    generations = backend.generate(CONVERSATIONS, GREEDY)
    assert len(generations) == len(CONVERSATIONS)
    for generation in generations:
        assert isinstance(generation.text, str)
        assert 0 < generation.output_tokens <= GREEDY.max_new_tokens
        assert generation.latency_s > 0
    assert len({generation.text for generation in generations}) > 1, "output ignores the prompt"


def test_greedy_output_does_not_depend_on_batching(backend, backend_b1):
    """Left padding is right: a prompt padded inside a batch of 4 decodes as it does alone."""
    batched = [generation.text for generation in backend.generate(CONVERSATIONS, GREEDY)]
    alone = [generation.text for generation in backend_b1.generate(CONVERSATIONS, GREEDY)]
    assert batched == alone
    assert all(batched)


def test_seeded_sampling_is_reproducible(backend):
    params = GenerationParams(max_new_tokens=10, temperature=1.0, seed=7)
    first = [generation.text for generation in backend.generate(CONVERSATIONS, params)]
    again = [generation.text for generation in backend.generate(CONVERSATIONS, params)]
    other_seed = GenerationParams(max_new_tokens=10, temperature=1.0, seed=8)
    other = [generation.text for generation in backend.generate(CONVERSATIONS, other_seed)]
    assert first == again
    assert first != other


def test_output_tokens_stop_at_the_end_token_and_skip_padding(backend):
    """Counting stops at the first end token, so a row that finished early in a batch is not
    credited with the padding that fills it up to the longest row."""
    conversation = CONVERSATIONS[0]
    alone = backend.generate([conversation], GREEDY)[0]
    encoded = backend._encode(backend._prompt_texts([conversation]))
    produced = backend.model.generate(
        **encoded, max_new_tokens=10, do_sample=False, pad_token_id=backend.tokenizer.pad_token_id
    )[0, encoded["input_ids"].shape[1] :].tolist()
    assert len(produced) == alone.output_tokens == 10
    stop_at = next(i for i in range(2, 10) if produced[i] not in produced[:i])
    original = backend._stop_ids
    backend._stop_ids = original | {produced[stop_at]}
    try:
        stopped, other = backend.generate([conversation, CONVERSATIONS[1]], GREEDY)
    finally:
        backend._stop_ids = original
    assert stopped.output_tokens == stop_at
    assert other.output_tokens <= GREEDY.max_new_tokens


def test_option_probabilities_are_normalised_with_raw_mass(backend):
    scores = backend.option_probabilities(CONVERSATIONS, ["A", "B"])
    assert len(scores) == len(CONVERSATIONS)
    for score in scores:
        assert len(score.probabilities) == 2
        assert sum(score.probabilities) == pytest.approx(1.0, abs=1e-9)
        assert 0 < score.mass <= 1
        assert sum(score.extra["raw"]) == pytest.approx(score.mass)


def test_option_probabilities_do_not_depend_on_batching(backend, backend_b1):
    batched = backend.option_probabilities(CONVERSATIONS, ["A", "B"])
    alone = backend_b1.option_probabilities(CONVERSATIONS, ["A", "B"])
    for together, single in zip(batched, alone, strict=True):
        assert together.probabilities == pytest.approx(single.probabilities, abs=1e-4)
        assert together.mass == pytest.approx(single.mass, rel=1e-3)


def test_option_probabilities_keep_input_order(backend):
    """Batches are formed by prompt length; results still come back in the caller's order."""
    forward = backend.option_probabilities(CONVERSATIONS, ["A", "B"])
    backward = backend.option_probabilities(CONVERSATIONS[::-1], ["A", "B"])
    for first, second in zip(forward, backward[::-1], strict=True):
        assert first.probabilities == pytest.approx(second.probabilities, abs=1e-4)


def test_a_letter_counts_with_and_without_a_leading_space(backend):
    """SmolLM2 spells "A" and " A" as different tokens; both count for the option."""
    token_sets = backend.option_token_ids(["A", "B"])
    assert [len(ids) for ids in token_sets] == [2, 2]
    assert not set(token_sets[0]) & set(token_sets[1])


def test_options_sharing_a_first_token_are_rejected(backend):
    with pytest.raises(ValueError, match="shares its first token"):
        backend.option_token_ids(["A", "A"])
    with pytest.raises(ValueError, match="at least one option"):
        backend.option_probabilities(CONVERSATIONS, [])


def test_empty_input_gives_empty_output(backend):
    assert backend.generate([], GREEDY) == []
    assert backend.option_probabilities([], ["A", "B"]) == []


def test_concurrent_callers_get_the_same_results_as_sequential_ones(backend):
    expected = [generation.text for generation in backend.generate(CONVERSATIONS, GREEDY)]
    results: list[list[str]] = []

    def call():
        results.append([g.text for g in backend.generate(CONVERSATIONS, GREEDY)])

    threads = [threading.Thread(target=call) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [expected] * 3


def test_a_final_assistant_message_is_continued_not_answered(backend):
    prefilled = [
        {"role": "user", "content": "Which is better, A or B?"},
        {"role": "assistant", "content": "The better response is Response"},
    ]
    (text,) = backend._prompt_texts([prefilled])
    assert text.rstrip().endswith("The better response is Response")
    (fresh,) = backend._prompt_texts([prefilled[:1]])
    assert fresh.rstrip().endswith("assistant")  # a new assistant turn is opened instead
