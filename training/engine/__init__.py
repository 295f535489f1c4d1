"""The training engine: plain Python over TRL, no Django.

Importing this package is cheap: torch, transformers and TRL load only when a run starts.
"""

from training.engine.config import METHODS, TrainConfig
from training.engine.devices import multi_gpu_command
from training.engine.evaluation import evaluate_preferences
from training.engine.progress import ProgressEvent
from training.engine.runner import TrainResult, latest_checkpoint, train

__all__ = [
    "METHODS",
    "ProgressEvent",
    "TrainConfig",
    "TrainResult",
    "evaluate_preferences",
    "latest_checkpoint",
    "multi_gpu_command",
    "train",
]
