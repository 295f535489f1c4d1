"""The training engine end to end on CPU with a tiny random Llama: SFT, reward model and DPO train,
save a loadable model and their metrics; DPO learns a toy preference; runs resume after a kill and
stop when cancelled; bad configurations fail with a clear message."""

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from tests.training.conftest import PROJECT_ROOT, preference_rows, write_jsonl
from training.engine import (
    ProgressEvent,
    TrainConfig,
    cli,
    evaluate_preferences,
    latest_checkpoint,
    multi_gpu_command,
    train,
)
from training.engine import devices as engine_devices
from training.engine.data import detect_format, split_indices

LN2 = math.log(2)
pytestmark = pytest.mark.usefixtures("single_torch_thread")


def make_config(base_model, dataset, output_dir, **overrides) -> TrainConfig:
    """Test defaults: a few steps, batch 2 (one step takes ~0.3-0.7 s on two cores), short
    sequences, a learning rate high enough for the tiny model to move, no mid-run checkpoints."""
    values = dict(
        method="dpo",
        base_model=str(base_model),
        dataset_path=str(dataset),
        output_dir=str(output_dir),
        max_steps=3,
        learning_rate=1e-3,
        per_device_batch_size=2,
        max_length=128,
        save_steps=100,
        eval_fraction=0.25,
    )
    values.update(overrides)
    return TrainConfig(**values)


def assert_final_model_and_metrics(result, *, steps: int, model_class: str = "causal"):
    from transformers import AutoModelForCausalLM, AutoModelForSequenceClassification

    final_dir = Path(result.final_dir)
    if model_class == "causal":
        model = AutoModelForCausalLM.from_pretrained(final_dir)
    else:
        model = AutoModelForSequenceClassification.from_pretrained(final_dir)
        assert model.config.num_labels == 1
    assert model.config.hidden_size == 64
    assert (final_dir / "tokenizer.json").is_file()
    metrics = json.loads((final_dir.parent / "metrics.json").read_text())
    assert metrics["steps"] == steps == result.steps
    assert [step for step, _ in metrics["loss_history"]] == list(range(1, steps + 1))
    assert all(math.isfinite(loss) for _, loss in metrics["loss_history"])
    assert metrics["device"] == result.device == "cpu"
    assert metrics["precision"] == "fp32"
    return metrics


# -- DPO ---------------------------------------------------------------------------------------


def test_dpo_learns_a_toy_preference_and_reports_progress(tiny_model_dir, tmp_path):
    """Chosen is always one fixed answer and rejected another: 20 steps of DPO drive the loss
    well below ln 2 (its value while policy equals reference) and held-out pairs come out right.
    Plain-text rows keep the sequences short (~30 tokens against ~60 with the chat template)."""
    dataset = write_jsonl(tmp_path / "plain.jsonl", preference_rows(32, conversational=False))
    events: list[ProgressEvent] = []
    config = make_config(tiny_model_dir, dataset, tmp_path / "run", max_steps=20)

    result = train(config, on_progress=events.append)

    metrics = assert_final_model_and_metrics(result, steps=20)
    losses = [loss for _, loss in metrics["loss_history"]]
    assert losses[0] == pytest.approx(LN2, abs=1e-3)
    tail = sum(losses[-5:]) / 5
    assert tail < 0.5 * losses[0] and tail < LN2
    assert metrics["eval"]["pairs"] == metrics["eval_rows"] == 8
    assert metrics["eval"]["accuracy"] >= 0.9
    assert metrics["eval"]["mean_margin"] > 0
    assert metrics["eval"]["loss"] < LN2
    assert metrics["eval"]["base_accuracy"] < metrics["eval"]["accuracy"]
    assert metrics["eval"]["dpo_reward_accuracy"] == 1.0
    assert not result.stopped and result.resumed_from is None
    assert result.metrics == metrics

    step_events = [event for event in events if event.loss is not None]
    assert [event.step for event in step_events] == list(range(1, 21))
    assert {event.total_steps for event in events} == {20}
    assert "rewards/margins" in step_events[-1].metrics
    assert "rewards/accuracies" in step_events[-1].metrics
    assert step_events[-1].metrics["rewards/margins"] > 0
    assert step_events[-1].eta_s == 0
    assert step_events[5].log_line.startswith("step 6/20 | loss ")


def test_lora_dpo_saves_a_merged_model_and_the_adapter(tiny_model_dir, tmp_path):
    """With LoRA no reference model is loaded (adapters off is the reference); final/ is a plain
    model with the adapter merged in, and the adapter alone is kept beside it."""
    from safetensors.torch import load_file

    dataset = write_jsonl(tmp_path / "prefs.jsonl", preference_rows(16))
    config = make_config(tiny_model_dir, dataset, tmp_path / "run", lora=True)

    result = train(config)

    metrics = assert_final_model_and_metrics(result, steps=3)
    assert metrics["dataset_format"] == "preference" and metrics["lora"] is True
    assert metrics["eval"]["pairs"] == 4
    final_dir = Path(result.final_dir)
    assert not (final_dir / "adapter_config.json").exists()
    assert (final_dir.parent / "adapter" / "adapter_config.json").is_file()
    base = load_file(Path(tiny_model_dir) / "model.safetensors")
    merged = load_file(final_dir / "model.safetensors")
    assert set(merged) == set(base)
    name = "model.layers.0.self_attn.q_proj.weight"
    assert not (merged[name] == base[name]).all(), "the LoRA update was not merged"


# -- SFT and reward model ----------------------------------------------------------------------


@pytest.mark.parametrize("dataset_fixture", ["messages_file", "prompt_completion_file"])
def test_sft_trains_and_saves_a_loadable_model(tiny_model_dir, tmp_path, dataset_fixture, request):
    dataset = request.getfixturevalue(dataset_fixture)
    config = make_config(tiny_model_dir, dataset, tmp_path / "run", method="sft")

    result = train(config)

    metrics = assert_final_model_and_metrics(result, steps=3)
    expected_format = "messages" if dataset_fixture == "messages_file" else "prompt_completion"
    assert metrics["dataset_format"] == expected_format
    assert metrics["train_rows"] == 6 and metrics["eval_rows"] == 2
    assert math.isfinite(metrics["eval"]["loss"])
    assert "accuracy" not in metrics["eval"]  # no preference pairs to score


def test_reward_model_trains_and_scores_held_out_pairs(tiny_model_dir, tmp_path):
    dataset = write_jsonl(tmp_path / "prefs.jsonl", preference_rows(16))
    events: list[ProgressEvent] = []
    config = make_config(tiny_model_dir, dataset, tmp_path / "run", method="reward")

    result = train(config, on_progress=events.append)

    metrics = assert_final_model_and_metrics(result, steps=3, model_class="reward")
    assert "accuracy" in events[0].metrics
    assert metrics["eval"]["pairs"] == 4
    assert 0 <= metrics["eval"]["accuracy"] <= 1


# -- resume and cancel -------------------------------------------------------------------------


def test_a_killed_run_resumes_from_its_last_checkpoint(tiny_model_dir, tmp_path):
    """A worker dies after step 4 with checkpoint-3 on disk: the next attempt continues at step 4,
    not step 0, and reaches the end."""
    dataset = write_jsonl(tmp_path / "plain.jsonl", preference_rows(16, conversational=False))
    config = make_config(tiny_model_dir, dataset, tmp_path / "run", max_steps=6, save_steps=3)

    def die_after_step_4(event: ProgressEvent) -> None:
        if event.step == 4:
            raise RuntimeError("worker killed")

    with pytest.raises(RuntimeError, match="worker killed"):
        train(config, on_progress=die_after_step_4)
    assert latest_checkpoint(config.output_dir).endswith("checkpoint-3")
    assert not config.metrics_path.exists()

    events: list[ProgressEvent] = []
    result = train(config, on_progress=events.append)

    assert result.resumed_from.endswith("checkpoint-3")
    assert result.steps == 6 and not result.stopped
    assert [event.step for event in events if event.loss is not None] == [4, 5, 6]
    history_steps = [step for step, _ in result.metrics["loss_history"]]
    assert {4, 5, 6} <= set(history_steps)
    assert result.metrics["resumed_from"] == result.resumed_from
    assert latest_checkpoint(config.output_dir).endswith("checkpoint-6")
    assert Path(result.final_dir).is_dir()


def test_resume_false_starts_again_from_step_zero(tiny_model_dir, tmp_path):
    dataset = write_jsonl(tmp_path / "plain.jsonl", preference_rows(8, conversational=False))
    config = make_config(tiny_model_dir, dataset, tmp_path / "run", max_steps=2)
    stale = Path(config.output_dir) / "checkpoint-5"
    stale.mkdir(parents=True)
    (stale / "trainer_state.json").write_text("{}")
    events: list[ProgressEvent] = []

    result = train(config, on_progress=events.append, resume=False)

    assert result.resumed_from is None
    assert [event.step for event in events if event.loss is not None] == [1, 2]


def test_cancel_stops_after_the_current_step_without_a_final_model(tiny_model_dir, tmp_path):
    dataset = write_jsonl(tmp_path / "plain.jsonl", preference_rows(16, conversational=False))
    config = make_config(tiny_model_dir, dataset, tmp_path / "run", max_steps=10)
    polls = []

    def should_stop() -> bool:
        polls.append(True)
        return len(polls) >= 2  # polled once per finished step: stop after step 2

    result = train(config, should_stop=should_stop)

    assert result.stopped and result.steps == 2
    assert result.final_dir is None and not config.final_dir.exists()
    metrics = json.loads(config.metrics_path.read_text())
    assert metrics["stopped"] is True and metrics["eval"] == {}
    assert [step for step, _ in metrics["loss_history"]] == [1, 2]


def test_latest_checkpoint_skips_folders_cut_off_mid_save(tmp_path):
    assert latest_checkpoint(tmp_path / "missing") is None
    for step in (3, 12):
        (tmp_path / f"checkpoint-{step}").mkdir()
        (tmp_path / f"checkpoint-{step}" / "trainer_state.json").write_text("{}")
    (tmp_path / "checkpoint-15").mkdir()  # no trainer_state.json: incomplete
    (tmp_path / "checkpoint-x").mkdir()
    assert latest_checkpoint(tmp_path) == str(tmp_path / "checkpoint-12")


# -- evaluation, data, devices -----------------------------------------------------------------


def test_evaluate_preferences_scores_pairs_with_policy_and_reward_models(tiny_model_dir):
    rows = preference_rows(3) + preference_rows(2, conversational=False)
    for method in ("dpo", "reward"):
        result = evaluate_preferences(tiny_model_dir, rows, method=method, max_length=64)
        assert result["pairs"] == 5
        assert 0 <= result["accuracy"] <= 1 and math.isfinite(result["mean_margin"])
    assert evaluate_preferences(tiny_model_dir, [], method="dpo") == {
        "pairs": 0,
        "accuracy": None,
        "mean_margin": None,
    }


def test_split_is_seeded_disjoint_and_complete():
    train_a, held_a = split_indices(32, eval_fraction=0.1, seed=0)
    train_b, held_b = split_indices(32, eval_fraction=0.1, seed=0)
    _, held_c = split_indices(32, eval_fraction=0.1, seed=1)
    assert (train_a, held_a) == (train_b, held_b)
    assert held_a != held_c
    assert len(held_a) == 3 and sorted(train_a + held_a) == list(range(32))
    assert split_indices(5, eval_fraction=0.0, seed=0) == ([0, 1, 2, 3, 4], [])
    assert len(split_indices(3, eval_fraction=0.1, seed=0)[1]) == 1  # at least one held out
    assert split_indices(1, eval_fraction=0.5, seed=0) == ([0], [])  # never all of them


def test_dataset_formats_are_recognised_from_their_columns():
    assert detect_format(["messages", "meta"]) == "messages"
    assert detect_format(["prompt", "completion"]) == "prompt_completion"
    assert detect_format(["prompt", "chosen", "rejected", "meta"]) == "preference"
    with pytest.raises(ValueError, match="'prompt'"):
        detect_format(["chosen", "rejected"])
    with pytest.raises(ValueError, match="Unrecognised"):
        detect_format(["text"])


def test_multi_gpu_command_launches_one_process_per_gpu(monkeypatch):
    monkeypatch.setattr(engine_devices, "gpu_count", lambda: 4)
    command = multi_gpu_command("/jobs/7/config.json")
    assert command[1:] == [
        "-m",
        "accelerate.commands.launch",
        "--multi_gpu",
        "--num_processes",
        "4",
        "-m",
        "training.engine.cli",
        "/jobs/7/config.json",
    ]
    assert command[0] == sys.executable
    monkeypatch.setattr(engine_devices, "gpu_count", lambda: 1)
    assert multi_gpu_command("/jobs/7/config.json") == []


# -- configuration -----------------------------------------------------------------------------


@pytest.fixture
def valid_config(tiny_model_dir, tmp_path):
    dataset = write_jsonl(tmp_path / "prefs.jsonl", preference_rows(4))
    return make_config(tiny_model_dir, dataset, tmp_path / "run").as_dict()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"method": "ppo"}, "Unknown training method 'ppo'"),
        ({"max_steps": 0}, "max_steps must be a positive"),
        ({"save_steps": -1}, "save_steps must be a positive"),
        ({"per_device_batch_size": 0}, "per_device_batch_size must be a positive"),
        ({"learning_rate": -1e-5}, "learning_rate must be positive"),
        ({"eval_fraction": 0.6}, "eval_fraction must be between 0 and 0.5"),
        ({"eval_fraction": -0.1}, "eval_fraction must be between 0 and 0.5"),
        ({"base_model": "/nonexistent/model"}, "Base model folder '/nonexistent/model' does not"),
        ({"dataset_path": "/nonexistent/data.jsonl"}, "does not exist"),
    ],
)
def test_bad_configs_are_rejected_with_a_clear_message(valid_config, change, message):
    config = TrainConfig.from_dict({**valid_config, **change})
    with pytest.raises(ValueError, match=message):
        config.validate()
    with pytest.raises(ValueError, match=message):
        train(config)


def test_an_empty_dataset_is_rejected(valid_config, tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n  \n")
    with pytest.raises(ValueError, match="is empty"):
        TrainConfig.from_dict({**valid_config, "dataset_path": str(empty)}).validate()


def test_a_dataset_that_does_not_suit_the_method_is_rejected(valid_config, messages_file):
    config = TrainConfig.from_dict({**valid_config, "dataset_path": str(messages_file)})
    with pytest.raises(ValueError, match="A dpo run needs preference rows"):
        train(config)


def test_config_round_trips_and_fills_the_learning_rate_by_method(valid_config):
    config = TrainConfig.from_dict(valid_config)
    assert TrainConfig.from_dict(config.as_dict()) == config
    minimal = {key: valid_config[key] for key in ("base_model", "dataset_path", "output_dir")}
    assert TrainConfig.from_dict({**minimal, "method": "dpo"}).learning_rate == 5e-6
    assert TrainConfig.from_dict({**minimal, "method": "sft"}).learning_rate == 5e-5
    assert TrainConfig.from_dict({**minimal, "method": "reward"}).learning_rate == 5e-5
    with pytest.raises(ValueError, match="Unknown training option"):
        TrainConfig.from_dict({**valid_config, "epochs": 3})
    with pytest.raises(ValueError, match="Missing training option"):
        TrainConfig.from_dict({"method": "sft"})


# -- process boundary ----------------------------------------------------------------------------


def test_cli_prints_progress_and_the_result_as_json_lines(valid_config, tmp_path, capfd):
    """stdout carries nothing but JSON lines (the parent of a multi-GPU launch parses it)."""
    config_path = tmp_path / "config.json"
    config_path.write_text(json.dumps({**valid_config, "max_steps": 2, "eval_fraction": 0.0}))

    assert cli.main([str(config_path)]) == 0

    lines = [json.loads(line) for line in capfd.readouterr().out.splitlines()]
    progress = [line for line in lines if line["event"] == "progress" and line["loss"] is not None]
    assert [line["step"] for line in progress] == [1, 2]
    assert lines[-1]["event"] == "result"
    assert lines[-1]["steps"] == 2 and lines[-1]["final_dir"].endswith("final")


def test_cli_reports_a_bad_config_as_a_json_error(tmp_path, capfd):
    config_path = tmp_path / "config.json"
    config_path.write_text(json.dumps({"method": "sft"}))
    assert cli.main([str(config_path)]) == 1
    error = json.loads(capfd.readouterr().out.splitlines()[-1])
    assert error["event"] == "error" and "Missing training option" in error["message"]


def test_cli_stops_when_the_stop_file_appears(valid_config, tmp_path, capfd):
    Path(valid_config["output_dir"]).mkdir(parents=True)
    (Path(valid_config["output_dir"]) / cli.STOP_FILE).touch()
    config_path = tmp_path / "config.json"
    config_path.write_text(json.dumps({**valid_config, "max_steps": 5}))

    assert cli.main([str(config_path)]) == 0

    result = json.loads(capfd.readouterr().out.splitlines()[-1])
    assert result["stopped"] is True and result["steps"] == 1 and result["final_dir"] is None


def test_importing_the_engine_loads_no_ml_library():
    code = (
        "import sys, training.engine; "
        "print(sorted(m for m in ('torch', 'transformers', 'trl', 'datasets', 'peft') "
        "if m in sys.modules))"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    )
    assert completed.stdout.strip() == "[]"
