"""Which AI labels to look at: one filter over the facts every label kind carries (run,
constitution version, critic or external judge, source, principle, domain, locale, harm category,
when it was made).

Review samples, dashboards and dataset snapshots all narrow labels with `LabelFilter`; each edge
(form, API serializer, query string, command) maps its own field names onto it. The filter
applies to any table that carries the facts: `q(paths)` names where each fact lives there (a
kind's label table through `label_paths(kind.lookup)`; reviews passes SampledLabel's copies).
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from .kinds import COMMON_LOOKUPS

# Filter field -> the dimension it narrows; each label kind says where it keeps a dimension
# (labeling.kinds: `LabelKind.lookup`, or COMMON_LOOKUPS for the label tallies). "created" is the
# time field.
DIMENSION_OF = {
    "constitution_version": "version",
    "critics": "critic",
    "judges": "judge",
    "sources": "source",
    "principle_codes": "principle",
    "categories": "category",
    "domains": "domain",
    "locales": "locale",
    "harm_categories": "harm_category",
    "created": "labeled_at",
}


def label_paths(lookup: Callable[[str], str] = COMMON_LOOKUPS.__getitem__) -> dict[str, str]:
    """Where a LabelFilter's fields live on a table of AI labels whose dimensions `lookup`
    reaches (a kind's `LabelKind.lookup`; by default labeling's common names, which the label
    tallies share). Every kind's labels belong to a run. A dimension the table never has (the
    kind's lookup is None) has no path: a filter that sets it raises ValueError in `q`."""
    paths = {name: lookup(dimension) for name, dimension in DIMENSION_OF.items()}
    return {"runs": "run_id"} | {name: path for name, path in paths.items() if path is not None}


LABEL_PATHS = label_paths()


@dataclass(frozen=True)
class LabelFilter:
    """AI labels matching every field that is set (an empty tuple or None matches all); a tuple
    matches any of its values. The time range is half-open: [created_from, created_to)."""

    runs: tuple[int, ...] = ()
    constitution_version: int | None = None
    critics: tuple[int, ...] = ()
    judges: tuple[int, ...] = ()
    sources: tuple[int, ...] = ()
    principle_codes: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    locales: tuple[str, ...] = ()
    harm_categories: tuple[str, ...] = ()
    created_from: datetime | None = None
    created_to: datetime | None = None

    def set_fields(self) -> dict:
        """The fields that narrow the labels, in declaration order."""
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if getattr(self, f.name) not in ((), None)
        }

    def as_dict(self) -> dict:
        """The set fields as JSON-ready values (what a sample records of its population)."""
        return {
            key: (value.isoformat() if isinstance(value, datetime) else value)
            for key, value in self.set_fields().items()
        }

    @classmethod
    def from_dict(cls, stored: Mapping) -> "LabelFilter":
        """The filter `as_dict()` recorded (as JSON: tuples came back as lists)."""
        values = {}
        for name, value in stored.items():
            if name in ("created_from", "created_to"):
                value = datetime.fromisoformat(value)
            elif isinstance(value, list):
                value = tuple(value)
            values[name] = value
        return cls(**values)

    def q(self, paths: Mapping[str, str] = LABEL_PATHS) -> Q:
        """The filter as a Q over a table whose facts live at `paths` (filter field -> lookup
        path, "created" for the time field). Raises ValueError for a set field that the table
        has no path for, rather than silently matching more labels than asked."""
        condition = Q()
        for name, value in self.set_fields().items():
            key = "created" if name in ("created_from", "created_to") else name
            if key not in paths:
                raise ValueError(f"This filter's {name} does not apply here.")
            if name == "created_from":
                condition &= Q(**{f"{paths[key]}__gte": value})
            elif name == "created_to":
                condition &= Q(**{f"{paths[key]}__lt": value})
            elif isinstance(value, tuple):
                condition &= Q(**{f"{paths[key]}__in": value})
            else:
                condition &= Q(**{paths[key]: value})
        return condition


def day_start(day: date) -> datetime:
    """The first instant of `day` in the current time zone: `created_at >= day_start(d)` is
    exactly `created_at__date >= d`, and `created_at < day_start(d + 1 day)` is `__date <= d`."""
    return timezone.make_aware(datetime.combine(day, time.min))


def days_range(first: date | None, last: date | None) -> tuple[datetime | None, datetime | None]:
    """The half-open time range covering the days `first` to `last`, both included."""
    return (
        day_start(first) if first else None,
        day_start(last + timedelta(days=1)) if last else None,
    )
