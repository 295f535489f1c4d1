"""Progress reports and cancellation, bridged into the transformers Trainer as one callback."""

import math
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

# Logged keys worth a place in the one-line summary, in display order: DPO logs the implicit
# reward margin and accuracy, the reward trainer its pairwise accuracy and margin.
HEADLINE_KEYS = ("rewards/margins", "rewards/accuracies", "accuracy", "margin")
# Bookkeeping keys the Trainer adds to a log that are not metrics.
NON_METRIC_KEYS = {"step", "epoch", "total_flos"}


@dataclass
class ProgressEvent:
    step: int
    total_steps: int
    loss: float | None
    metrics: dict[str, float] = field(default_factory=dict)
    elapsed_s: float = 0.0
    eta_s: float | None = None
    log_line: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _finite(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def format_log_line(step: int, total: int, loss: float | None, metrics: dict, eta_s) -> str:
    parts = [f"step {step}/{total}"]
    if loss is not None:
        parts.append(f"loss {loss:.4f}")
    parts.extend(f"{key} {metrics[key]:.4f}" for key in HEADLINE_KEYS if key in metrics)
    if "learning_rate" in metrics:
        parts.append(f"lr {metrics['learning_rate']:.2e}")
    if eta_s is not None:
        parts.append(f"eta {eta_s:.0f}s")
    return " | ".join(parts)


def make_engine_callback(
    *,
    on_progress: Callable[[ProgressEvent], None] | None,
    should_stop: Callable[[], bool] | None,
):
    """A `TrainerCallback` that reports every log to `on_progress` and stops when asked.

    It also remembers whether it stopped the run (`.stopped`). Built inside a function so that
    importing this module does not import transformers.
    """
    from transformers import TrainerCallback

    class EngineCallback(TrainerCallback):
        def __init__(self) -> None:
            self.stopped = False
            self.started_at = time.monotonic()
            self.first_step = 0

        def on_train_begin(self, args, state, control, **kwargs):
            # After a resume global_step is the checkpoint's step: the ETA counts only new steps.
            self.started_at = time.monotonic()
            self.first_step = state.global_step

        def on_step_end(self, args, state, control, **kwargs):
            if should_stop is not None and _agree_across_processes(bool(should_stop()), args):
                control.should_training_stop = True
                self.stopped = True

        def on_log(self, args, state, control, logs=None, **kwargs):
            if on_progress is None or not state.is_world_process_zero or not logs:
                return
            step = state.global_step
            metrics = {
                key: float(value)
                for key, value in logs.items()
                if key not in NON_METRIC_KEYS and _finite(value)
            }
            loss = metrics.get("loss")
            elapsed = time.monotonic() - self.started_at
            done = step - self.first_step
            eta = elapsed / done * max(state.max_steps - step, 0) if done > 0 else None
            on_progress(
                ProgressEvent(
                    step=step,
                    total_steps=state.max_steps,
                    loss=loss,
                    metrics=metrics,
                    elapsed_s=round(elapsed, 3),
                    eta_s=None if eta is None else round(eta, 1),
                    log_line=format_log_line(step, state.max_steps, loss, metrics, eta),
                )
            )

    return EngineCallback()


def _agree_across_processes(flag: bool, args) -> bool:
    """Under `accelerate launch` every process must stop at the same step or the others hang in
    the next collective, so a stop seen by any process stops all of them."""
    import torch.distributed as dist

    if not (dist.is_available() and dist.is_initialized()) or dist.get_world_size() == 1:
        return flag
    import torch

    tensor = torch.tensor([int(flag)], device=args.device)
    dist.all_reduce(tensor, op=dist.ReduceOp.MAX)
    return bool(tensor.item())
