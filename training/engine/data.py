"""Reading an exported JSONL file into the columns TRL expects, and the seeded held-out split.

The exporter writes rows in TRL's own formats, so the only glue here is dropping the columns TRL
does not know (provenance such as `meta`): they would otherwise reach the collators.
"""

import random
from pathlib import Path

# The columns each dataset format keeps, in TRL's names.
FORMAT_COLUMNS = {
    "messages": ("messages",),
    "prompt_completion": ("prompt", "completion"),
    "preference": ("prompt", "chosen", "rejected"),
}
METHOD_FORMATS = {
    "sft": ("messages", "prompt_completion"),
    "reward": ("preference",),
    "dpo": ("preference",),
}


def detect_format(columns: list[str] | tuple[str, ...]) -> str:
    """Name the dataset format from its columns; ValueError when it is none of ours."""
    present = set(columns)
    if {"chosen", "rejected"} <= present:
        if "prompt" not in present:
            raise ValueError(
                "Preference rows need a 'prompt' next to 'chosen' and 'rejected' "
                f"(found columns: {', '.join(sorted(present))})."
            )
        return "preference"
    if "messages" in present:
        return "messages"
    if {"prompt", "completion"} <= present:
        return "prompt_completion"
    raise ValueError(
        "Unrecognised dataset rows: expected 'messages', 'prompt'+'completion' or "
        f"'prompt'+'chosen'+'rejected' (found columns: {', '.join(sorted(present))})."
    )


def load_rows(dataset_path: str | Path, *, method: str, cache_dir: str | Path | None = None):
    """Load the JSONL file as a `datasets.Dataset` holding only the columns of its format.

    Returns `(dataset, format_name)`. Raises ValueError when the format does not suit `method`
    (a preference file for SFT, say), so the job fails with a message instead of a stack trace.
    """
    from datasets import load_dataset

    dataset = load_dataset(
        "json",
        data_files=str(dataset_path),
        split="train",
        cache_dir=str(cache_dir) if cache_dir else None,
    )
    if len(dataset) == 0:
        raise ValueError(f"Dataset file {str(dataset_path)!r} is empty: it has no rows.")
    format_name = detect_format(dataset.column_names)
    if format_name not in METHOD_FORMATS[method]:
        wanted = " or ".join(METHOD_FORMATS[method])
        raise ValueError(
            f"A {method} run needs {wanted} rows, "
            f"but {str(dataset_path)!r} holds {format_name} rows."
        )
    extra = [name for name in dataset.column_names if name not in FORMAT_COLUMNS[format_name]]
    if extra:
        dataset = dataset.remove_columns(extra)
    return dataset, format_name


def split_indices(count: int, *, eval_fraction: float, seed: int) -> tuple[list[int], list[int]]:
    """Seeded shuffle of `range(count)` cut into (train, held-out) index lists, each sorted.

    The held-out part is `floor(count * eval_fraction)` rows, at least one when the fraction is
    positive and there are two or more rows, and never all of them.
    """
    indices = list(range(count))
    random.Random(seed).shuffle(indices)
    held_out = int(count * eval_fraction)
    if eval_fraction > 0 and held_out == 0 and count >= 2:
        held_out = 1
    held_out = min(held_out, count - 1)
    return sorted(indices[held_out:]), sorted(indices[:held_out])


def split_dataset(dataset, *, eval_fraction: float, seed: int):
    """(train, eval) datasets by `split_indices`; eval is None when nothing is held out."""
    train_indices, eval_indices = split_indices(
        len(dataset), eval_fraction=eval_fraction, seed=seed
    )
    eval_dataset = dataset.select(eval_indices) if eval_indices else None
    return dataset.select(train_indices), eval_dataset
