"""Run one SFT, reward-model or DPO training job with TRL and leave a loadable model behind.

The output folder is the job's whole state: `checkpoint-N/` folders (the latest two) let a job
whose worker died continue where it stopped, `final/` holds the trained model and tokenizer (an
ordinary transformers folder: LoRA adapters are merged in, the adapter alone is kept under
`adapter/`), and `metrics.json` the loss history and held-out results.

Nothing heavy is imported at module import time, so Django code can import this module freely.
"""

import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from training.engine.config import TrainConfig
from training.engine.data import load_rows, split_dataset
from training.engine.devices import DeviceChoice, choose_device
from training.engine.evaluation import POLICY_METHODS, evaluate_preferences
from training.engine.progress import ProgressEvent, make_engine_callback

CHECKPOINT_PATTERN = re.compile(r"^checkpoint-(\d+)$")
# The Trainer writes trainer_state.json last: a checkpoint folder without it was cut off mid-save
# (the worker died while writing) and cannot be resumed from.
CHECKPOINT_COMPLETE_FILE = "trainer_state.json"


@dataclass
class TrainResult:
    final_dir: str | None  # None when the run was stopped before the end
    metrics: dict[str, Any] = field(default_factory=dict)  # what metrics.json holds
    device: str = "cpu"
    steps: int = 0
    stopped: bool = False
    resumed_from: str | None = None


def latest_checkpoint(output_dir: str | Path) -> str | None:
    """The complete `checkpoint-N` folder with the highest N in `output_dir`, or None."""
    folder = Path(output_dir)
    if not folder.is_dir():
        return None
    candidates = []
    for child in folder.iterdir():
        match = CHECKPOINT_PATTERN.match(child.name)
        if match and child.is_dir() and (child / CHECKPOINT_COMPLETE_FILE).is_file():
            candidates.append((int(match.group(1)), child))
    return str(max(candidates)[1]) if candidates else None


def train(
    config: TrainConfig,
    *,
    on_progress: Callable[[ProgressEvent], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    resume: bool = True,
) -> TrainResult:
    """Train as `config` says; see the module docstring for what lands in `output_dir`.

    `on_progress` receives a ProgressEvent on every Trainer log (every `logging_steps`);
    `should_stop` is polled after every step and, when it returns True, ends the run at that step
    with `stopped=True`, no `final/` and no evaluation. With `resume`, a complete checkpoint in
    `output_dir` is continued from rather than starting at step 0. Exceptions from the callbacks
    propagate (the last checkpoint stays for the next attempt).
    """
    config.validate()
    started = time.monotonic()
    output_dir = Path(config.output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    device = choose_device()
    resumed_from = latest_checkpoint(output_dir) if resume else None

    from accelerate import PartialState

    # Under `accelerate launch` the main process fills the datasets cache and the others read it.
    with PartialState().main_process_first():
        dataset, dataset_format = load_rows(
            config.dataset_path, method=config.method, cache_dir=output_dir / ".datasets-cache"
        )
    train_rows, eval_rows = split_dataset(
        dataset, eval_fraction=config.eval_fraction, seed=config.seed
    )
    callback = make_engine_callback(on_progress=on_progress, should_stop=should_stop)
    trainer = _build_trainer(config, device, train_rows, eval_rows, callback)
    _silence_console_logs(trainer)
    train_output = trainer.train(resume_from_checkpoint=resumed_from)
    stopped = callback.stopped

    final_dir = None
    evaluation: dict[str, Any] = {}
    if not stopped:
        # The trainer's own held-out pass runs first: merging LoRA adapters into final/ removes
        # them from the in-memory model, and DPO's reference pass needs them to switch off.
        trainer_eval = trainer.evaluate() if eval_rows is not None else None
        final_dir = _save_final(trainer, config)
        if eval_rows is not None:
            evaluation = _held_out_results(
                trainer, config, final_dir, eval_rows, dataset_format, trainer_eval
            )

    metrics = {
        "method": config.method,
        "dataset_format": dataset_format,
        "device": device.device,
        "device_name": device.name,
        "precision": device.precision,
        "lora": config.lora,
        "steps": trainer.state.global_step,
        "max_steps": config.max_steps,
        "seconds": round(time.monotonic() - started, 3),
        "resumed_from": resumed_from,
        "stopped": stopped,
        "train_rows": len(train_rows),
        "eval_rows": 0 if eval_rows is None else len(eval_rows),
        "loss_history": _loss_history(trainer.state.log_history),
        "log_history": [entry for entry in trainer.state.log_history if "loss" in entry],
        "final": _final_metrics(trainer.state.log_history, train_output.metrics),
        "eval": evaluation,
        "config": config.as_dict(),
    }
    if trainer.is_world_process_zero():
        config.metrics_path.write_text(json.dumps(metrics, indent=2, default=str))
    steps = trainer.state.global_step
    del trainer
    _release_memory()
    return TrainResult(
        final_dir=None if final_dir is None else str(final_dir),
        metrics=metrics,
        device=device.device,
        steps=steps,
        stopped=stopped,
        resumed_from=resumed_from,
    )


def _release_memory() -> None:
    """A Celery worker runs job after job in one process: hand the models' GPU memory back."""
    import gc

    import torch

    gc.collect()
    if torch.cuda.is_available():
        torch.cuda.empty_cache()


def _build_trainer(config: TrainConfig, device: DeviceChoice, train_rows, eval_rows, callback):
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(config.base_model)
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    common = dict(
        output_dir=config.output_dir,
        max_steps=config.max_steps,
        learning_rate=config.learning_rate,
        per_device_train_batch_size=config.per_device_batch_size,
        per_device_eval_batch_size=config.per_device_batch_size,
        gradient_accumulation_steps=config.gradient_accumulation_steps,
        max_length=config.max_length,
        save_strategy="steps",
        save_steps=config.save_steps,
        save_total_limit=2,
        logging_strategy="steps",
        logging_steps=config.logging_steps,
        eval_strategy="no",
        report_to=[],
        seed=config.seed,
        bf16=device.bf16,
        fp16=device.fp16,
        use_cpu=device.use_cpu,
        disable_tqdm=True,
        activation_checkpointing=config.gradient_checkpointing,  # the old name warns in 5.x
    )
    trainer_kwargs = dict(
        train_dataset=train_rows,
        eval_dataset=eval_rows,
        processing_class=tokenizer,
        callbacks=[callback],
        peft_config=_lora_config(config),
    )
    # fp32 weights in every case: the Trainer autocasts to bf16/fp16 on GPUs (see choose_device).
    load = dict(dtype=torch.float32)

    if config.method == "sft":
        from trl import SFTConfig, SFTTrainer

        model = AutoModelForCausalLM.from_pretrained(config.base_model, **load)
        return SFTTrainer(model=model, args=SFTConfig(**common), **trainer_kwargs)

    if config.method == "reward":
        from transformers import AutoModelForSequenceClassification
        from trl import RewardConfig, RewardTrainer

        model = AutoModelForSequenceClassification.from_pretrained(
            config.base_model, num_labels=1, **load
        )
        model.config.pad_token_id = tokenizer.pad_token_id
        return RewardTrainer(model=model, args=RewardConfig(**common), **trainer_kwargs)

    from trl import DPOConfig, DPOTrainer

    model = AutoModelForCausalLM.from_pretrained(config.base_model, **load)
    # Without `ref_model` TRL 1.16 rebuilds the reference from the name recorded in the model's
    # config, which fails for a model made in memory (ARCHITECTURE.md): load the frozen reference
    # from the base folder ourselves. With LoRA the reference is the same model with its adapters
    # switched off, so none is loaded.
    ref_model = None
    if not config.lora:
        ref_model = AutoModelForCausalLM.from_pretrained(config.base_model, **load)
    return DPOTrainer(
        model=model,
        ref_model=ref_model,
        args=DPOConfig(**common, beta=config.beta),
        **trainer_kwargs,
    )


def _silence_console_logs(trainer) -> None:
    """With tqdm off the Trainer prints every log dict to stdout; progress goes to `on_progress`
    instead, and the CLI's stdout must carry nothing but its JSON lines."""
    from transformers.trainer_callback import PrinterCallback

    trainer.remove_callback(PrinterCallback)


def _lora_config(config: TrainConfig):
    if not config.lora:
        return None
    from peft import LoraConfig, TaskType

    return LoraConfig(
        task_type=TaskType.SEQ_CLS if config.method == "reward" else TaskType.CAUSAL_LM,
        r=config.lora_r,
        lora_alpha=config.lora_alpha,
        lora_dropout=0.05,
        target_modules="all-linear",
    )


def _save_final(trainer, config: TrainConfig) -> Path:
    """Write `final/` as a plain transformers folder that `from_pretrained` loads without peft.

    With LoRA the adapter is saved on its own under `adapter/` (small, reusable with the base)
    and then merged into the base weights for `final/`, so every consumer (the labeling backend,
    a later training run) reads one kind of folder.
    """
    final_dir = config.final_dir
    if not config.lora:
        trainer.save_model(str(final_dir))
        return final_dir
    trainer.save_model(str(Path(config.output_dir) / "adapter"))
    if trainer.is_world_process_zero():
        merged = trainer.accelerator.unwrap_model(trainer.model).merge_and_unload()
        merged.save_pretrained(final_dir)
        trainer.processing_class.save_pretrained(final_dir)
    trainer.accelerator.wait_for_everyone()
    return final_dir


def _held_out_results(
    trainer, config, final_dir, eval_rows, dataset_format, results
) -> dict[str, Any]:
    """Held-out loss from the trainer; for preference data also the preference accuracy of final/.

    A policy's summed log-probability favours short answers, so the same accuracy of the base
    model is reported beside it (`base_accuracy`): the change is what training did. For DPO the
    trainer's own reference-relative reward accuracy is copied too.
    """
    evaluation: dict[str, Any] = {
        "rows": len(eval_rows),
        "loss": results.get("eval_loss"),
        "trainer": results,
    }
    if dataset_format != "preference" or not trainer.is_world_process_zero():
        return evaluation
    options = dict(
        method=config.method, max_length=config.max_length, batch_size=config.per_device_batch_size
    )
    evaluation.update(evaluate_preferences(final_dir, eval_rows, **options))
    if config.method in POLICY_METHODS:
        base = evaluate_preferences(config.base_model, eval_rows, **options)
        evaluation["base_accuracy"] = base["accuracy"]
        evaluation["base_mean_margin"] = base["mean_margin"]
    if config.method == "dpo":
        evaluation["dpo_reward_accuracy"] = results.get("eval_rewards/accuracies")
        evaluation["dpo_reward_margin"] = results.get("eval_rewards/margins")
    return evaluation


def _loss_history(log_history: list[dict]) -> list[list[float]]:
    return [[entry["step"], entry["loss"]] for entry in log_history if "loss" in entry]


def _final_metrics(log_history: list[dict], train_metrics: dict) -> dict[str, Any]:
    """The last training log (loss, margins, accuracies) with the Trainer's run summary."""
    last = next((entry for entry in reversed(log_history) if "loss" in entry), {})
    final = {key: value for key, value in last.items() if key not in ("epoch", "step")}
    final.update(train_metrics)
    return final
