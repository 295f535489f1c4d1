"""Preparing the shipped default critic: once, atomically, safe under concurrent workers."""

import threading
import time

import pytest

from labeling.engine import default_model
from labeling.engine.base import GenerationParams
from labeling.engine.default_model import (
    DEFAULT_MODEL,
    READY_MARKER,
    default_model_dir,
    gguf_folder,
    resolve_model_path,
)


def test_the_gguf_file_is_found_without_importing_the_package():
    assert (gguf_folder() / default_model.GGUF_FILE).is_file()


def test_two_workers_preparing_at_once_convert_only_once(tmp_path, monkeypatch):
    calls = []

    def fake_prepare(target):
        calls.append(target)
        time.sleep(0.2)  # long enough for the second caller to arrive mid-way
        (target / "config.json").write_text("{}")
        (target / READY_MARKER).write_text("fake")

    monkeypatch.setattr(default_model, "_prepare_into", fake_prepare)
    results = []
    threads = [
        threading.Thread(target=lambda: results.append(default_model_dir(tmp_path)))
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1
    assert results == [tmp_path / DEFAULT_MODEL] * 2
    assert (tmp_path / DEFAULT_MODEL / "config.json").is_file()
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(f".{DEFAULT_MODEL}-")]
    assert leftovers == []


def test_a_failed_preparation_leaves_nothing_half_written(tmp_path, monkeypatch):
    def broken_prepare(target):
        (target / "config.json").write_text("{}")
        raise OSError("disk full")

    monkeypatch.setattr(default_model, "_prepare_into", broken_prepare)
    with pytest.raises(OSError, match="disk full"):
        default_model_dir(tmp_path)
    assert not (tmp_path / DEFAULT_MODEL).exists()
    assert [p for p in tmp_path.iterdir() if p.is_dir()] == []


def test_resolve_model_path_accepts_a_model_folder(tiny_model_dir, tmp_path):
    assert resolve_model_path(str(tiny_model_dir), tmp_path) == tiny_model_dir


def test_resolve_model_path_explains_a_missing_folder(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist.*smollm2-135m-instruct"):
        resolve_model_path(str(tmp_path / "missing"), tmp_path)
    with pytest.raises(FileNotFoundError, match="no config.json"):
        resolve_model_path(str(tmp_path), tmp_path)


@pytest.mark.slow
def test_the_real_default_critic_replies_and_judges(model_cache_root, monkeypatch):
    """Prepares SmolLM2-135M-Instruct from the GGUF (once per cache) and uses it for real."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    from labeling.engine.transformers_backend import TransformersBackend

    folder = resolve_model_path(DEFAULT_MODEL, model_cache_root)
    assert (folder / READY_MARKER).is_file()
    backend = TransformersBackend(folder, device="cpu")
    [reply] = backend.generate(
        [[{"role": "user", "content": "What is the capital of France?"}]],
        GenerationParams(max_new_tokens=16),
    )
    assert reply.text.strip()
    judge = [
        {"role": "system", "content": "You are a careful judge."},
        {
            "role": "user",
            "content": "Question: What is 2 + 2?\n\nResponse A:\n4\n\nResponse B:\n5\n\n"
            "Which response is correct? Answer with the single letter A or B.",
        },
    ]
    [score] = backend.option_probabilities([judge], ["A", "B"])
    assert sum(score.probabilities) == pytest.approx(1.0)
    assert 0 < score.mass <= 1
