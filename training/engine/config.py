"""What a training run is asked to do: one plain, JSON-serialisable dataclass.

The same object is built by the Celery task, written to `config.json` for a multi-GPU launch and
read back by `training.engine.cli`, so it holds only plain values and validates itself.
"""

import dataclasses
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

METHODS = ("sft", "reward", "dpo")
# DPO's loss pushes the policy away from its reference directly, so at SFT's rate it drifts (and
# degrades) within a few hundred steps; its default is ten times lower (TRL's own is 1e-6).
DEFAULT_LEARNING_RATES = {"sft": 5e-5, "reward": 5e-5, "dpo": 5e-6}
MAX_EVAL_FRACTION = 0.5
# Inclusive upper bounds of the numeric options (the lower ones are in `validate`); the training
# form and the API take the same numbers, so a value refused here is refused at the door.
MAX_WHOLE = {
    "max_steps": 1_000_000,
    "per_device_batch_size": 1024,
    "gradient_accumulation_steps": 1024,
    "max_length": 32_768,
    "save_steps": 1_000_000,
    "logging_steps": 1_000_000,
    "lora_r": 1024,
    "lora_alpha": 4096,
}
MIN_MAX_LENGTH = 16
MAX_SEED = 2**31 - 1
MAX_LEARNING_RATE = 1.0
MAX_BETA = 100.0


@dataclass
class TrainConfig:
    """One training run: method, local base model folder, exported JSONL file, output folder."""

    method: str
    base_model: str
    dataset_path: str
    output_dir: str
    max_steps: int = 100
    learning_rate: float | None = None  # None: DEFAULT_LEARNING_RATES[method]
    per_device_batch_size: int = 4
    gradient_accumulation_steps: int = 1
    max_length: int = 512
    beta: float = 0.1
    lora: bool = False
    lora_r: int = 8
    lora_alpha: int = 16
    seed: int = 0
    save_steps: int = 10
    eval_fraction: float = 0.1
    logging_steps: int = 1
    # Recompute activations in the backward pass: less GPU memory for large models, ~20-30% slower.
    # TRL turns it on by default; the engine keeps it off unless asked.
    gradient_checkpointing: bool = False

    def __post_init__(self) -> None:
        if self.learning_rate is None and self.method in DEFAULT_LEARNING_RATES:
            self.learning_rate = DEFAULT_LEARNING_RATES[self.method]

    @property
    def final_dir(self) -> Path:
        return Path(self.output_dir) / "final"

    @property
    def metrics_path(self) -> Path:
        return Path(self.output_dir) / "metrics.json"

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "TrainConfig":
        """Build from a plain dict (a job row, a JSON file); unknown keys are an error."""
        known = {field.name for field in dataclasses.fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"Unknown training option(s): {', '.join(unknown)}.")
        missing = sorted(
            field.name
            for field in dataclasses.fields(cls)
            if field.default is dataclasses.MISSING and field.name not in data
        )
        if missing:
            raise ValueError(f"Missing training option(s): {', '.join(missing)}.")
        return cls(**data)

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def validate(self) -> "TrainConfig":
        """Raise ValueError with a message a user can act on; return self so calls can chain."""
        if self.method not in METHODS:
            raise ValueError(
                f"Unknown training method {self.method!r}: choose one of {', '.join(METHODS)}."
            )
        for name, high in MAX_WHOLE.items():
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= high:
                raise ValueError(
                    f"{name} must be a positive whole number of at most {high}, got {value!r}."
                )
        if self.max_length < MIN_MAX_LENGTH:
            raise ValueError(f"max_length must be at least {MIN_MAX_LENGTH}, got {self.max_length}")
        if isinstance(self.seed, bool) or not isinstance(self.seed, int):
            raise ValueError(f"seed must be a whole number, got {self.seed!r}.")
        if not 0 <= self.seed <= MAX_SEED:
            raise ValueError(f"seed must be from 0 to {MAX_SEED}, got {self.seed}.")
        for name, high in (("learning_rate", MAX_LEARNING_RATE), ("beta", MAX_BETA)):
            value = getattr(self, name)
            if not _is_number(value) or not 0 < value <= high:
                raise ValueError(f"{name} must be positive and at most {high:g}, got {value!r}.")
        if not _is_number(self.eval_fraction) or not 0 <= self.eval_fraction <= MAX_EVAL_FRACTION:
            raise ValueError(
                f"eval_fraction must be between 0 and {MAX_EVAL_FRACTION}, "
                f"got {self.eval_fraction!r}."
            )
        if not self.output_dir:
            raise ValueError("output_dir must be set.")
        base = Path(self.base_model)
        if not base.is_dir():
            raise ValueError(f"Base model folder {self.base_model!r} does not exist.")
        if not (base / "config.json").is_file():
            raise ValueError(f"Base model folder {self.base_model!r} has no config.json.")
        dataset = Path(self.dataset_path)
        if not dataset.is_file():
            raise ValueError(f"Dataset file {self.dataset_path!r} does not exist.")
        if not _has_a_row(dataset):
            raise ValueError(f"Dataset file {self.dataset_path!r} is empty: it has no rows.")
        return self


def _is_number(value: Any) -> bool:
    """A real, finite number (JSON's true and false are not numbers here)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _has_a_row(path: Path) -> bool:
    """True when the JSONL file has at least one non-blank line (reads only up to that line)."""
    with path.open("rb") as handle:
        return any(line.strip() for line in handle)
