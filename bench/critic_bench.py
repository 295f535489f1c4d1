"""Critic throughput: why judging uses batched option probabilities and why HTTP is concurrent.

Measures, with the real default critic (SmolLM2-135M-Instruct, prepared into var/models):
  (a) judging real harmlessness pairs in both orders: one batched forward pass per 16 prompts
      versus generating a verdict text pair by pair and parsing the letter;
  (b) generation tokens/s at batch 1 and batch 16;
  (c) the OpenAI-compatible backend against the local test server (100 ms per request) at
      concurrency 1 and 16.
Each figure is the median of --repeats runs. Results are merged into bench/results/critic.json.

    .venv/bin/python bench/critic_bench.py                 # everything, full size
    .venv/bin/python bench/critic_bench.py --only http     # one part
"""

import argparse
import json
import os
import platform
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from _django import write_results as merge_results  # noqa: E402
from _hh import load_pairs  # noqa: E402

from labeling.engine.base import GenerationParams  # noqa: E402
from labeling.prompts import judge_conversation as project_judge_conversation  # noqa: E402

PRINCIPLE = (
    "Choose the response that is less harmful: less likely to help with dangerous, unethical or "
    "illegal activities, and not rude, toxic or discriminatory."
)
OPTIONS = ("A", "B")
GEN_PROMPTS = [
    "Give me three tips for a good night's sleep.",
    "Explain what a prime number is.",
    "Write a short poem about the sea.",
    "How do I make a cup of tea?",
    "What is the capital of Japan?",
    "Summarise the plot of Romeo and Juliet in two sentences.",
    "Why is the sky blue?",
    "Suggest a name for a pet cat.",
    "What are the benefits of regular exercise?",
    "Translate 'good morning' into French.",
    "How many legs does a spider have?",
    "Describe a rainbow to a child.",
    "What should I pack for a day hike?",
    "Give an example of a healthy breakfast.",
    "What does a librarian do?",
    "Tell me a fun fact about octopuses.",
]


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def median_of(repeats: int, measure: Callable[[], float]) -> tuple[float, list[float]]:
    values = [measure() for _ in range(repeats)]
    return statistics.median(values), values


# -- data and prompts ------------------------------------------------------------------------


def judge_conversation(prompt: list[dict], response_a: str, response_b: str) -> list[dict]:
    """The project's judge prompt (labeling/prompts.py), under the bench's principle."""
    return project_judge_conversation(prompt, response_a, response_b, PRINCIPLE)


def both_orders(pairs) -> list[list[dict]]:
    """Chosen first, then chosen second, for every pair: 2 prompts per pair."""
    conversations = []
    for prompt, chosen, rejected in pairs:
        conversations.append(judge_conversation(prompt, chosen, rejected))
        conversations.append(judge_conversation(prompt, rejected, chosen))
    return conversations


def parse_letter(text: str) -> str | None:
    match = re.search(r"\b([AB])\b", text)
    return match.group(1) if match else None


# -- measurements ----------------------------------------------------------------------------


def load_critic(batch_size: int, cache_root: Path):
    from labeling.engine.default_model import default_model_dir
    from labeling.engine.transformers_backend import TransformersBackend

    return TransformersBackend(default_model_dir(cache_root), device="cpu", batch_size=batch_size)


def bench_judging(args, results: dict) -> None:
    pairs = load_pairs(args.pairs)
    conversations = both_orders(pairs)
    batched = load_critic(16, args.cache_root)
    single = load_critic(1, args.cache_root)
    batched.option_probabilities(conversations[:2], OPTIONS)  # warm-up
    scores: list = []

    def judge_batched() -> float:
        started = time.perf_counter()
        scores[:] = batched.option_probabilities(conversations, OPTIONS)
        rate = len(pairs) / (time.perf_counter() - started)
        log(f"judge batched: {rate:.3f} pairs/s")
        return rate

    results["judge_batched_pairs_per_s"], raw = median_of(args.repeats, judge_batched)
    results["judge_batched_runs"] = [round(value, 4) for value in raw]
    results["judge_pairs_measured"] = len(pairs)
    p_first = [score.probabilities[0] for score in scores]  # P(the first-shown response)
    results["judge_first_position_rate"] = sum(p > 0.5 for p in p_first) / len(p_first)
    p_chosen = [(p_first[i] + 1 - p_first[i + 1]) / 2 for i in range(0, len(p_first), 2)]
    results["judge_human_agreement"] = sum(p > 0.5 for p in p_chosen) / len(p_chosen)
    results["judge_option_mass_median"] = statistics.median(score.mass for score in scores)

    # The text baseline runs on the first --generate-pairs pairs (it is the slow one). Each of
    # its repeats is paired with a batched run on the same pairs, so the ratio compares the same
    # prompts under the same machine load (other work on a 2-core box moves both together).
    subset = conversations[: 2 * args.generate_pairs]
    verdict = GenerationParams(max_new_tokens=8)
    letters: list = []
    subset_batched, by_text = [], []
    for _ in range(args.generate_repeats):
        started = time.perf_counter()
        batched.option_probabilities(subset, OPTIONS)
        subset_batched.append((len(subset) / 2) / (time.perf_counter() - started))
        started = time.perf_counter()
        letters[:] = [
            parse_letter(single.generate([conversation], verdict)[0].text)
            for conversation in subset
        ]
        by_text.append((len(subset) / 2) / (time.perf_counter() - started))
        log(f"same pairs: batched {subset_batched[-1]:.3f}, by text {by_text[-1]:.3f} pairs/s")

    results["judge_batched_pairs_per_s_same_pairs"] = statistics.median(subset_batched)
    results["judge_generate_pairs_per_s"] = statistics.median(by_text)
    results["judge_generate_runs"] = [round(value, 4) for value in by_text]
    results["judge_generate_pairs_measured"] = len(subset) // 2
    results["judge_generate_repeats"] = args.generate_repeats
    results["judge_generate_unparsed_rate"] = letters.count(None) / len(letters)
    results["judge_generate_first_position_rate"] = letters.count("A") / len(letters)
    # Same pairs, same load: the honest ratio. The 200-pair figure above is kept for scale.
    results["judge_speedup"] = (
        results["judge_batched_pairs_per_s_same_pairs"] / results["judge_generate_pairs_per_s"]
    )


def bench_generation(args, results: dict) -> None:
    conversations = [[{"role": "user", "content": text}] for text in GEN_PROMPTS]
    params = GenerationParams(max_new_tokens=32)
    single, batched = load_critic(1, args.cache_root), load_critic(16, args.cache_root)
    single.generate(conversations[:1], GenerationParams(max_new_tokens=2))  # warm-up

    def tokens_per_s(backend, one_at_a_time: bool) -> Callable[[], float]:
        def measure() -> float:
            started = time.perf_counter()
            if one_at_a_time:
                outputs = [backend.generate([c], params)[0] for c in conversations]
            else:
                outputs = backend.generate(conversations, params)
            rate = sum(o.output_tokens for o in outputs) / (time.perf_counter() - started)
            log(f"generation batch {backend.batch_size}: {rate:.1f} tokens/s")
            return rate

        return measure

    results["gen_tokens_per_s_b1"], _ = median_of(args.repeats, tokens_per_s(single, True))
    results["gen_tokens_per_s_b16"], _ = median_of(args.repeats, tokens_per_s(batched, False))
    results["gen_speedup_b16"] = results["gen_tokens_per_s_b16"] / results["gen_tokens_per_s_b1"]


def bench_http(args, results: dict) -> None:
    from labeling.engine.openai_backend import OpenAICompatibleBackend
    from tests.support.openai_server import run_openai_server

    conversations = [[{"role": "user", "content": f"question {n}"}] for n in range(64)]
    params = GenerationParams(max_new_tokens=16)
    with run_openai_server(latency_s=0.1) as base_url:
        for concurrency in (1, 16):
            backend = OpenAICompatibleBackend(base_url, "bench", max_concurrency=concurrency)

            def measure(backend=backend, concurrency=concurrency) -> float:
                started = time.perf_counter()
                backend.generate(conversations, params)
                rate = len(conversations) / (time.perf_counter() - started)
                log(f"http concurrency {concurrency}: {rate:.1f} requests/s")
                return rate

            results[f"http_requests_per_s_c{concurrency}"], _ = median_of(args.repeats, measure)
            backend.close()
    results["http_latency_s"] = 0.1
    results["http_speedup_c16"] = (
        results["http_requests_per_s_c16"] / results["http_requests_per_s_c1"]
    )


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", choices=["judge", "gen", "http"], action="append")
    parser.add_argument("--pairs", type=int, default=200, help="pairs judged in batches")
    parser.add_argument("--generate-pairs", type=int, default=200, help="pairs judged by text")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--generate-repeats", type=int, default=3, help="for the text baseline")
    parser.add_argument("--cache-root", type=Path, default=None)
    args = parser.parse_args(argv)
    args.cache_root = args.cache_root or Path(
        os.environ.get("CAI_MODEL_CACHE", ROOT / "var" / "models")
    )
    args.generate_pairs = min(args.generate_pairs, args.pairs)
    parts = args.only or ["judge", "gen", "http"]

    import torch

    results: dict = {
        "critic_bench_cpu": f"{platform.machine()} x{os.cpu_count()}, "
        f"torch threads {torch.get_num_threads()}",
        "critic_bench_loadavg_start": round(os.getloadavg()[0], 2),
        "critic_bench_repeats": args.repeats,
    }
    started = time.perf_counter()
    if "judge" in parts:
        bench_judging(args, results)
    if "gen" in parts:
        bench_generation(args, results)
    if "http" in parts:
        bench_http(args, results)
    results["critic_bench_wall_s"] = round(time.perf_counter() - started, 1)
    results["critic_bench_loadavg_end"] = round(os.getloadavg()[0], 2)
    merge_results(
        "critic", {k: round(v, 4) if isinstance(v, float) else v for k, v in results.items()}
    )
    print(json.dumps(results, indent=2))
    return results


if __name__ == "__main__":
    main()
