"""Reads of constitutions: lists, principle data for diffs and exports."""

from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from .diffs import VersionDiff, diff_versions
from .models import Constitution, ConstitutionVersion, Principle
from .rules import PRINCIPLE_FIELDS
from .yaml_io import VersionDocument, version_to_yaml


def constitution_list() -> list[Constitution]:
    """Every constitution with its owners, version counts and whether a review is due."""
    now = timezone.now()
    constitutions = list(
        Constitution.objects.prefetch_related("owners").annotate(
            version_count=Count("versions", distinct=True)
        )
    )
    for constitution in constitutions:
        constitution.review_is_due = constitution.review_due_at <= now
    return constitutions


def version_list(*, constitution: Constitution) -> QuerySet[ConstitutionVersion]:
    return (
        constitution.versions.select_related("published_by", "created_by", "parent")
        .prefetch_related("tags")
        .annotate(principle_count=Count("principles"))
        .order_by("-number")
    )


def version_detail(*, pk: int) -> ConstitutionVersion:
    return (
        ConstitutionVersion.objects.select_related(
            "constitution", "parent", "published_by", "created_by"
        )
        .prefetch_related(
            Prefetch("principles", queryset=Principle.objects.select_related("updated_by")),
            "tags",
        )
        .get(pk=pk)
    )


def principle_records(*, version: ConstitutionVersion) -> list[dict[str, Any]]:
    """The version's principles as plain dicts in priority order (the shape diffs and YAML use)."""
    return list(version.principles.order_by("priority", "code", "locale").values(*PRINCIPLE_FIELDS))


def version_diff(*, old: ConstitutionVersion, new: ConstitutionVersion) -> VersionDiff:
    return diff_versions(principle_records(version=old), principle_records(version=new))


def version_export_yaml(*, version: ConstitutionVersion) -> str:
    constitution = version.constitution
    state = f"published {version.published_at:%Y-%m-%d}" if version.is_published else "draft"
    document = VersionDocument(
        name=constitution.name,
        description=constitution.description,
        review_cadence_days=constitution.review_cadence_days,
        changelog=version.changelog,
        principles=principle_records(version=version),
    )
    return version_to_yaml(
        document, header=f"CAI Audit constitution {constitution.name} v{version.number} ({state})"
    )
