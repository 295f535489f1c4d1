"""The shared harmlessness pairs (../shared/data), as (prompt turns, chosen, rejected)."""

import gzip
import json
from pathlib import Path

from labeling.importing import split_conversation

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
HH = DATA / "hh-rlhf-harmless-test-first1000.jsonl.gz"


def load_pairs(count: int, path: Path = HH) -> list[tuple[list[dict], str, str]]:
    """(prompt turns, chosen reply, rejected reply) for the first `count` usable records."""
    pairs = []
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            chosen = split_conversation(record["chosen"])
            rejected = split_conversation(record["rejected"])
            if chosen[:-1] != rejected[:-1] or chosen[-1]["role"] != "assistant":
                continue
            pairs.append((chosen[:-1], chosen[-1]["content"], rejected[-1]["content"]))
            if len(pairs) == count:
                break
    return pairs
