"""Where the demo's preference data lives. Pure (no Django, no ORM): the demo loader, the tests
and the benchmarks all ask here.

- The shipped set, written for this project and always in the repository:
  `labeling/data/demo_pairs.jsonl` (human-labelled pairs) and `labeling/data/demo_singles.jsonl`
  (single replies for the critique demo). See `labeling/data/README.md`.
- The real HH-RLHF harmless pairs (Anthropic, MIT; content warning: offensive text): optional.
  Read from the path in CAI_HH_RLHF_PATH when it is set, else from
  `../shared/data/hh-rlhf-harmless-test-first1000.jsonl.gz` beside the checkout when that exists.
"""

import gzip
from pathlib import Path

from .importing import parse_items

DATA_DIR = Path(__file__).resolve().parent / "data"
SHIPPED_PAIRS = DATA_DIR / "demo_pairs.jsonl"
SHIPPED_SINGLES = DATA_DIR / "demo_singles.jsonl"

HH_RLHF_SETTING = "CAI_HH_RLHF_PATH"
HH_RLHF_FILENAME = "hh-rlhf-harmless-test-first1000.jsonl.gz"
HH_RLHF_BESIDE_CHECKOUT = Path(__file__).resolve().parents[2] / "shared" / "data" / HH_RLHF_FILENAME
HH_RLHF_OFF = "off"


class HHRLHFNotFound(FileNotFoundError):
    """CAI_HH_RLHF_PATH names a file that is not there."""


def hh_rlhf_path(configured: str = "") -> Path | None:
    """The real HH-RLHF pairs' file, or None when they are not available.

    `configured` is the value of CAI_HH_RLHF_PATH. Empty: the copy beside the checkout, if any.
    `off`: never use the real pairs. A path that is not a file is an error rather than a silent
    fallback, so a typo cannot quietly leave the demo (or CI) without the real data.
    """
    value = (configured or "").strip()
    if value.lower() == HH_RLHF_OFF:
        return None
    if value:
        path = Path(value).expanduser()
        if not path.is_file():
            raise HHRLHFNotFound(
                f"{HH_RLHF_SETTING}={value!r} is not a file. Point it at {HH_RLHF_FILENAME}, or "
                f"set it to '{HH_RLHF_OFF}' (or leave it empty) to go without the real pairs."
            )
        return path
    return HH_RLHF_BESIDE_CHECKOUT if HH_RLHF_BESIDE_CHECKOUT.is_file() else None


def hh_rlhf_usable(data: bytes) -> tuple[bytes, list[str]]:
    """The real pairs' rows that the item importer accepts, as JSONL, and the problems (with line
    numbers) of the rows it refuses. The importer refuses a whole user file for one bad row; the
    demo imports a public file it did not write, a few of whose rows have a blank final reply,
    so it keeps the usable ones instead (as the benchmarks do)."""
    parsed = parse_items(data, "jsonl")
    usable = {record.line for record in parsed.records}
    text = gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data
    kept = [line for n, line in enumerate(text.splitlines(), start=1) if n in usable]
    return b"\n".join(kept), parsed.problems
