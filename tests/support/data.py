"""The preference data tests read: the shipped demo set (always there) and the real HH-RLHF pairs,
which only some machines have (CI lays ../shared/data beside the clone; CAI_HH_RLHF_PATH points
elsewhere). A test that needs the real pairs is marked `requires_hh_rlhf` and is skipped, with
the reason, on a fresh clone; every other test uses the shipped set."""

import os
from pathlib import Path

import pytest

from labeling.demo_data import (
    HH_RLHF_BESIDE_CHECKOUT,
    HH_RLHF_SETTING,
    SHIPPED_PAIRS,
    SHIPPED_SINGLES,
)
from labeling.demo_data import hh_rlhf_path as _configured_hh_rlhf_path

__all__ = ["SHIPPED_PAIRS", "SHIPPED_SINGLES", "hh_rlhf_path", "requires_hh_rlhf", "shipped_pairs"]


def hh_rlhf_path() -> Path | None:
    """The real pairs' file as the app would find it (CAI_HH_RLHF_PATH, else ../shared/data),
    or None. A CAI_HH_RLHF_PATH that names no file raises, so CI cannot skip these by a typo."""
    return _configured_hh_rlhf_path(os.environ.get(HH_RLHF_SETTING, ""))


def _why_missing() -> str:
    if os.environ.get(HH_RLHF_SETTING, "").strip():
        return f"needs the real HH-RLHF pairs, which {HH_RLHF_SETTING}=off turns off"
    return (
        f"needs the real HH-RLHF pairs (not in the repository): lay them at "
        f"{HH_RLHF_BESIDE_CHECKOUT} or set {HH_RLHF_SETTING}; the shipped set covers the rest"
    )


requires_hh_rlhf = pytest.mark.skipif(hh_rlhf_path() is None, reason=_why_missing())


def shipped_pairs(count: int | None = None) -> bytes:
    """The first `count` lines of the shipped demo pairs (all of them when None), as JSONL."""
    lines = SHIPPED_PAIRS.read_bytes().splitlines(keepends=True)
    return b"".join(lines[:count] if count is not None else lines)
