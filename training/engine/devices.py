"""Where a run trains (GPU or CPU, which precision) and how several GPUs are launched."""

import sys
from dataclasses import dataclass


@dataclass(frozen=True)
class DeviceChoice:
    device: str  # "cuda" or "cpu"
    precision: str  # "bf16", "fp16" or "fp32"
    name: str  # the GPU's name, or "cpu"

    @property
    def bf16(self) -> bool:
        return self.precision == "bf16"

    @property
    def fp16(self) -> bool:
        return self.precision == "fp16"

    @property
    def use_cpu(self) -> bool:
        return self.device == "cpu"


def choose_device() -> DeviceChoice:
    """CUDA when present (bf16 mixed precision where the GPU has it, else fp16), else CPU fp32.

    Weights stay fp32 in every case and the Trainer autocasts: fp16 weights cannot be trained with
    a gradient scaler, and fp32 master weights cost little at the model sizes we fine-tune here.
    """
    import torch

    if torch.cuda.is_available():
        precision = "bf16" if torch.cuda.is_bf16_supported() else "fp16"
        return DeviceChoice(device="cuda", precision=precision, name=torch.cuda.get_device_name(0))
    return DeviceChoice(device="cpu", precision="fp32", name="cpu")


def gpu_count() -> int:
    import torch

    return torch.cuda.device_count() if torch.cuda.is_available() else 0


def multi_gpu_command(config_path: str, *, num_processes: int | None = None) -> list[str]:
    """The command line a worker runs to train on every local GPU, or [] with fewer than two.

    It is `accelerate launch --multi_gpu --num_processes N -m training.engine.cli CONFIG`, run as
    `python -m accelerate.commands.launch` with this interpreter so the worker's virtualenv is used
    whatever its PATH. One process per GPU; the parent reads the JSON progress lines that the main
    process prints.
    """
    count = gpu_count() if num_processes is None else num_processes
    if count < 2:
        return []
    return [
        sys.executable,
        "-m",
        "accelerate.commands.launch",
        "--multi_gpu",
        "--num_processes",
        str(count),
        "-m",
        "training.engine.cli",
        str(config_path),
    ]
