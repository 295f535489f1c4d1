"""Dashboard results are cached under a fingerprint of the data they are computed from.

The fingerprint (counts and highest ids of reviews, gold labels, sampled labels, AI labels,
red-team verdicts and runs) changes whenever a review lands, is undone or becomes gold, so a
cached number is never stale and nothing has to remember to invalidate it. One cheap query per
request.

Counts over the AI label tables (a million rows: the slowest query) depend on the labels
alone, so they are cached under `labels_fingerprint` and survive new reviews. Red-team verdicts
are counted from their own table (it has no tallies, and is small), so a new or deleted verdict
changes both fingerprints.
"""

import hashlib

from django.core.cache import cache
from django.db import connection

from labeling import kinds
from labeling.models import LabelingRun
from reviews.models import GoldLabel, Review, SampledLabel

TIMEOUT_S = 3600


def _untallied() -> tuple:
    """The label models counted from their own tables (no tallies): any change to them counts."""
    return tuple(kind.model for kind in kinds.all() if not kind.tallied)


def _labels() -> tuple:
    return tuple(kind.model for kind in kinds.all())


def _state(counted, highest) -> str:
    # Table names come from the models, never from input.
    parts = [f"(SELECT COUNT(*) FROM {m._meta.db_table})" for m in counted]  # noqa: S608
    parts += [f"(SELECT MAX(id) FROM {m._meta.db_table})" for m in highest]  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        return ":".join(str(value) for value in cursor.fetchone())


def fingerprint() -> str:
    return _state(
        (Review, GoldLabel, SampledLabel, LabelingRun, *_untallied()),
        (Review, GoldLabel, *_labels()),
    )


def labels_fingerprint() -> str:
    return _state((LabelingRun, *_untallied()), _labels())


def cached(name: str, key: str, compute, *, state=fingerprint):
    """`compute()` once per (name, key, state of the data it reads)."""
    digest = hashlib.sha256(f"{name}|{key}|{state()}".encode()).hexdigest()[:32]
    cache_key = f"dashboards:{name}:{digest}"
    value = cache.get(cache_key)
    if value is None:
        value = compute()
        cache.set(cache_key, value, TIMEOUT_S)
    return value
