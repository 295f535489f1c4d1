"""A rule's label filter: labeling's LabelFilter plus what it lacks (high-stakes, a confidence
range), as one Q over a kind's label table."""

from django.db.models import Q

from cai_audit.errors import DomainError
from labeling import kinds
from labeling.filters import LabelFilter, label_paths

FILTER_FIELDS = (
    "principle_codes",
    "categories",
    "domains",
    "locales",
    "harm_categories",
    "judges",
    "sources",
    "critics",
    "constitution_version",
)


def label_filter_parse(stored: dict) -> LabelFilter:
    """The LabelFilter a rule stored; DomainError naming a field that is not one of ours."""
    unknown = set(stored) - set(FILTER_FIELDS)
    if unknown:
        raise DomainError(f"Unknown filter field(s): {', '.join(sorted(unknown))}.")
    try:
        return LabelFilter.from_dict(stored)
    except (TypeError, ValueError) as error:
        raise DomainError(f"Bad label filter: {error}") from None


def rule_q(
    *,
    label_kind: str,
    stored: dict,
    high_stakes: bool | None = None,
    confidence_min: float | None = None,
    confidence_max: float | None = None,
) -> Q:
    """The labels of `label_kind` a rule matches, as a Q over the kind's table. Raises
    DomainError for a dimension or a confidence the kind does not have."""
    kind = kinds.get(label_kind)
    try:
        condition = label_filter_parse(stored).q(label_paths(kind.lookup))
    except ValueError as error:
        raise DomainError(f"{kind.verbose_name}: {error}") from None
    if high_stakes is not None:
        path = kind.lookup("high_stakes")
        if path is None:
            raise DomainError(f"{kind.verbose_name} have no high-stakes flag.")
        condition &= Q(**{path: high_stakes})
    if confidence_min is not None or confidence_max is not None:
        if not kind.confidence_field:
            raise DomainError(f"{kind.verbose_name} carry no confidence to filter on.")
        if confidence_min is not None:
            condition &= Q(**{f"{kind.confidence_field}__gte": confidence_min})
        if confidence_max is not None:
            condition &= Q(**{f"{kind.confidence_field}__lte": confidence_max})
    return condition
