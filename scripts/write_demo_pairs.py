"""Write the shipped demo preference set and the single replies the demo critiques.

The pairs (in `scripts/demo_pairs/`, one module per principle) were written for CAI Audit (none
is copied from any other data set). Each has a prompt (some with earlier turns), a safer reply
(`chosen`, the reply the authors prefer: that is the human label) and a less safe one
(`rejected`: careless, overconfident, dismissive or vaguely compliant, never with operational
detail). The first rows are about illegal or unethical acts, because the demo's preference run
judges its first 48 pairs under HARM-02.

    .venv/bin/python scripts/write_demo_pairs.py          # (re)write labeling/data/*.jsonl
    .venv/bin/python scripts/write_demo_pairs.py --check  # exit 1 if the files are out of date

The output is deterministic: the same script writes the same bytes.
"""

import argparse
import json
import sys
from pathlib import Path

from demo_pairs import SOURCE, demo_pairs

DATA_DIR = Path(__file__).resolve().parents[1] / "labeling" / "data"
PAIRS_FILE = DATA_DIR / "demo_pairs.jsonl"
SINGLES_FILE = DATA_DIR / "demo_singles.jsonl"
SINGLES_COUNT = 40
PAIRS = demo_pairs()


def singles_from(pairs: list[dict], count: int = SINGLES_COUNT) -> list[dict]:
    """Every third pair's rejected reply, as a single reply for the critique demo."""
    singles = []
    for row in pairs[1::3][:count]:
        single = {
            "id": f"{row['id']}-rejected",
            "prompt": row["prompt"],
            "response": row["rejected"],
        }
        single.update({k: row[k] for k in ("domain", "harm_category", "locale", "high_stakes")})
        single.update(principle=row["principle"], source=SOURCE)
        singles.append(single)
    return singles


def jsonl(rows: list[dict]) -> bytes:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows).encode()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the files are stale")
    args = parser.parse_args()
    outputs = {PAIRS_FILE: jsonl(PAIRS), SINGLES_FILE: jsonl(singles_from(PAIRS))}
    stale = [p for p, data in outputs.items() if not p.is_file() or p.read_bytes() != data]
    if args.check:
        for path in stale:
            print(f"{path} is out of date: run scripts/write_demo_pairs.py", file=sys.stderr)
        return 1 if stale else 0
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    for path, data in outputs.items():
        path.write_bytes(data)
    print(f"wrote {len(PAIRS)} pairs and {len(singles_from(PAIRS))} single replies")
    return 0


if __name__ == "__main__":
    sys.exit(main())
