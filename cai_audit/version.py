"""Which code made an artifact: CAI_CODE_VERSION if set (deployments), else the git commit."""

import os
import subprocess
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=1)
def code_version() -> str:
    if os.environ.get("CAI_CODE_VERSION"):
        return os.environ["CAI_CODE_VERSION"]
    try:
        result = subprocess.run(
            ["git", "describe", "--always", "--dirty"],  # noqa: S607
            cwd=Path(__file__).resolve().parents[1], capture_output=True, text=True, timeout=5,
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return result.stdout.strip() or "unknown"
