"""Preference pairs for the benchmarks, as (prompt turns, chosen reply, rejected reply).

By default the real HH-RLHF harmless pairs: the file in CAI_HH_RLHF_PATH, else
../shared/data/hh-rlhf-harmless-test-first1000.jsonl.gz beside the checkout. Without them (a
fresh clone) the benchmarks fall back to the pairs shipped in the repository
(labeling/data/demo_pairs.jsonl, written for this project, 127 pairs) and say so on stderr: the
figures then hold for those shorter texts and are not comparable with docs/benchmarks.md.
"""

import gzip
import json
import os
import sys
from pathlib import Path

from labeling.demo_data import HH_RLHF_SETTING, SHIPPED_PAIRS, hh_rlhf_path
from labeling.importing import RowProblem, record_from_row


def default_pairs_path() -> Path:
    real = hh_rlhf_path(os.environ.get(HH_RLHF_SETTING, ""))
    if real is not None:
        return real
    print(
        f"note: the real HH-RLHF pairs are not here (set {HH_RLHF_SETTING} or lay them in "
        f"../shared/data); using the {SHIPPED_PAIRS.name} shipped in the repository instead, so "
        "these figures are not comparable with docs/benchmarks.md",
        file=sys.stderr,
    )
    return SHIPPED_PAIRS


def load_pairs(count: int, path: Path | None = None) -> list[tuple[list[dict], str, str]]:
    """The first `count` usable human-labelled pairs of `path` (HH-RLHF conversations or the
    shipped prompt/chosen/rejected rows, gzipped or not); fewer when the file holds fewer."""
    data = (path or default_pairs_path()).read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    pairs = []
    for number, line in enumerate(data.splitlines(), start=1):
        try:
            record = record_from_row(json.loads(line), number)
        except (RowProblem, ValueError, TypeError):
            continue  # a row the importer would refuse (e.g. a blank final reply)
        if record.kind != "pair" or not record.human_choice:
            continue
        a, b = record.response_a, record.response_b
        chosen, rejected = (a, b) if record.human_choice == "A" else (b, a)
        pairs.append((record.prompt, chosen, rejected))
        if len(pairs) == count:
            break
    return pairs
