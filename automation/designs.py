"""The sampling maths of automation, as plain functions (no ORM).

Poisson sampling on arrival: label i is included iff u(seed, kind, i) < p, where u maps a hash
of (rule seed, kind, label id) onto [0, 1). Every label is included independently with
probability exactly p, whatever order or batches the labels arrive in, and sending the same
labels again picks the same ones: the draw is reproducible and re-entrant.
"""

import hashlib
from datetime import datetime, timedelta

WINDOW_LENGTH = {"hour": timedelta(hours=1), "day": timedelta(days=1), "week": timedelta(weeks=1)}


def poisson_unit(seed: int, kind: str, label_id: int) -> float:
    """A uniform number in [0, 1) fixed by (seed, kind, label id): the first 8 bytes of a
    BLAKE2b digest, divided by 2**64."""
    digest = hashlib.blake2b(f"{seed}:{kind}:{label_id}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def poisson_pick(seed: int, kind: str, label_ids, rate: float) -> list[int]:
    """The ids Poisson sampling at `rate` includes, in the order given."""
    if not 0 < rate <= 1:
        raise ValueError("the rate must be in (0, 1]")
    return [i for i in label_ids if rate >= 1 or poisson_unit(seed, kind, i) < rate]


def window_start(moment: datetime, window: str) -> datetime:
    """The start of the window (hour, day, or ISO week from Monday) holding `moment`, in
    `moment`'s own time zone."""
    start = moment.replace(minute=0, second=0, microsecond=0)
    if window in ("day", "week"):
        start = start.replace(hour=0)
    if window == "week":
        start -= timedelta(days=start.weekday())
    return start


def windows_between(start: datetime, end: datetime, window: str) -> list[tuple[datetime, datetime]]:
    """The whole windows from `start` (a window start) that have ended by `end`."""
    length, windows = WINDOW_LENGTH[window], []
    while start + length <= end:
        windows.append((start, start + length))
        start += length
    return windows


def window_name(start: datetime, window: str) -> str:
    """The stratum key of a window: its kind and start, e.g. day:2026-12-03T00:00+00:00."""
    return f"{window}:{start.isoformat(timespec='minutes')}"


# The crontab (minute, hour, day_of_week) at which each window ends.
WINDOW_CRONTAB = {"hour": ("0", "*", "*"), "day": ("0", "0", "*"), "week": ("0", "0", "1")}
