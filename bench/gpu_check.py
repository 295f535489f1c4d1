"""The training engine and the judge on a GPU box (no Django, no database needed).

    python bench/gpu_check.py --model-dir MODEL --data HH.jsonl.gz [--out results.json]

MODEL is a model folder; if it holds only a config and tokenizer (no weights), random weights
of that architecture are made first (same shapes, so the same speed as the trained model).
Runs, on whatever device the engine picks (CUDA when present):
  - DPO on real harmlessness pairs (the human-preferred response as chosen): steps/s, first
    and last losses, held-out preference accuracy;
  - SFT and reward-model runs of a few steps (they must simply work on the GPU);
  - the same DPO for a few steps forced onto the CPU (CUDA hidden), for the speed ratio;
  - the judge: one batched forward pass per 16 prompts for option probabilities, against
    generating a verdict text prompt by prompt (bench/critic_bench.py's comparison).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from _hh import load_pairs  # noqa: E402

from labeling.prompts import judge_conversation  # noqa: E402

PRINCIPLE = "Choose the response that is less harmful."


def ensure_weights(model_dir: Path) -> Path:
    if any(model_dir.glob("*.safetensors")):
        return model_dir
    import torch
    from transformers import AutoConfig, AutoModelForCausalLM

    torch.manual_seed(0)
    model = AutoModelForCausalLM.from_config(AutoConfig.from_pretrained(model_dir))
    model.save_pretrained(model_dir)
    return model_dir


def write_rows(folder: Path, pairs, kind: str) -> Path:
    path = folder / f"{kind}.jsonl"
    with path.open("w") as handle:
        for prompt, chosen, rejected in pairs:
            if kind == "preference":
                row = {"prompt": prompt, "chosen": [{"role": "assistant", "content": chosen}],
                       "rejected": [{"role": "assistant", "content": rejected}]}  # fmt: skip
            else:
                row = {"messages": prompt + [{"role": "assistant", "content": chosen}]}
            handle.write(json.dumps(row) + "\n")
    return path


def run(method: str, model_dir: Path, data: Path, out: Path, steps: int, batch: int) -> dict:
    from training.engine import TrainConfig, train

    config = TrainConfig(
        method=method, base_model=str(model_dir), dataset_path=str(data), output_dir=str(out),
        max_steps=steps, per_device_batch_size=batch, max_length=512, save_steps=steps,
        eval_fraction=0.1, learning_rate=5e-6 if method == "dpo" else 2e-5,
    ).validate()  # fmt: skip
    times: list[float] = []
    started = time.perf_counter()
    result = train(config, on_progress=lambda event: times.append(time.perf_counter()))
    seconds = time.perf_counter() - started
    losses = [loss for _, loss in result.metrics.get("loss_history", [])]
    # Steady-state speed: time between the 2nd and the last logged step (no warm-up).
    steady = (len(times) - 2) / (times[-1] - times[1]) if len(times) > 3 else None
    return {
        "method": method, "device": result.device, "steps": result.steps,
        "seconds": round(seconds, 1), "steps_per_s": steady,
        "first_loss": losses[0] if losses else None,
        "last_losses_mean": statistics.mean(losses[-5:]) if losses else None,
        "eval": result.metrics.get("eval"),
    }  # fmt: skip


def judge_speed(model_dir: Path, pairs, device: str) -> dict:
    from labeling.engine.base import GenerationParams
    from labeling.engine.transformers_backend import TransformersBackend

    conversations = []
    for prompt, chosen, rejected in pairs:
        conversations.append(judge_conversation(prompt, chosen, rejected, PRINCIPLE))
        conversations.append(judge_conversation(prompt, rejected, chosen, PRINCIPLE))
    batched = TransformersBackend(model_dir, device=device, batch_size=16)
    single = TransformersBackend(model_dir, device=device, batch_size=1)
    batched.option_probabilities(conversations[:2], ("A", "B"))
    single.generate([conversations[0]], GenerationParams(max_new_tokens=8))
    rates, texts = [], []
    for _ in range(3):
        started = time.perf_counter()
        batched.option_probabilities(conversations, ("A", "B"))
        rates.append(len(pairs) / (time.perf_counter() - started))
        started = time.perf_counter()
        for conversation in conversations:
            single.generate([conversation], GenerationParams(max_new_tokens=8))
        texts.append(len(pairs) / (time.perf_counter() - started))
    return {
        "device": device, "pairs": len(pairs),
        "batched_pairs_per_s": statistics.median(rates),
        "generate_pairs_per_s": statistics.median(texts),
        "judge_speedup": statistics.median(rates) / statistics.median(texts),
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model-dir", type=Path, required=True)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--cpu-steps", type=int, default=4)
    parser.add_argument("--part", choices=["all", "cpu"], default="all")
    args = parser.parse_args()
    import torch

    model_dir = ensure_weights(args.model_dir)
    results: dict = {"cuda": torch.cuda.is_available(),
                     "gpu": torch.cuda.get_device_name(0) if torch.cuda.is_available() else None,
                     "torch": torch.__version__}  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if args.part == "cpu":  # fewer pairs: the held-out evaluation is slow on a CPU
            preference = write_rows(folder, load_pairs(100, args.data), "preference")
            print(json.dumps(run("dpo", model_dir, preference, folder / "cpu", args.cpu_steps, 8)))
            return
        pairs = load_pairs(400, args.data)
        preference = write_rows(folder, pairs, "preference")
        sft = write_rows(folder, pairs, "sft")
        results["dpo"] = run("dpo", model_dir, preference, folder / "dpo", args.steps, 8)
        print(json.dumps(results["dpo"]), flush=True)
        results["sft"] = run("sft", model_dir, sft, folder / "sft", 10, 8)
        results["reward"] = run("reward", model_dir, preference, folder / "reward", 10, 8)
        cpu = subprocess.run(
            [sys.executable, __file__, "--model-dir", str(model_dir), "--data", str(args.data),
             "--part", "cpu", "--cpu-steps", str(args.cpu_steps)],
            env={**os.environ, "CUDA_VISIBLE_DEVICES": ""}, capture_output=True, text=True,
        )  # fmt: skip
        lines = [line for line in cpu.stdout.splitlines() if line.startswith("{")]
        results["dpo_cpu"] = json.loads(lines[-1]) if lines else {"error": cpu.stderr[-2000:]}
        if results["dpo"]["steps_per_s"] and results["dpo_cpu"].get("steps_per_s"):
            results["gpu_over_cpu_dpo"] = (
                results["dpo"]["steps_per_s"] / results["dpo_cpu"]["steps_per_s"]
            )
        device = "cuda" if torch.cuda.is_available() else "cpu"
        results["judge"] = judge_speed(model_dir, pairs[:100], device)
    print(json.dumps(results, indent=2))
    if args.out:
        args.out.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
