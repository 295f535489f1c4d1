from datetime import datetime, timedelta

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

from cai_audit.bounds import between, range_check

from .rules import (
    CATEGORY_PATTERN,
    CODE_PATTERN,
    LOCALE_PATTERN,
    PRIORITY_RANGE,
    REVIEW_CADENCE_DAYS_RANGE,
)


class Constitution(models.Model):
    """A written set of principles that a policy team maintains through versions."""

    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    owners = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="owned_constitutions",
        help_text="People accountable for keeping this constitution reviewed.",
    )
    review_cadence_days = models.PositiveIntegerField(
        default=90,
        validators=between(*REVIEW_CADENCE_DAYS_RANGE),
        help_text="How often the owners should review it, in days (at most ten years).",
    )
    last_reviewed_at = models.DateTimeField(
        null=True, blank=True, help_text="Set by a publish or by an owner marking it reviewed."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        permissions = [
            ("author_constitution", "Can create constitutions and edit draft versions"),
            ("publish_constitution", "Can publish versions and tag releases"),
        ]
        constraints = [
            range_check(
                "review_cadence_days", *REVIEW_CADENCE_DAYS_RANGE, name="constitution_cadence_range"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def review_due_at(self) -> datetime:
        return (self.last_reviewed_at or self.created_at) + timedelta(days=self.review_cadence_days)


class ConstitutionVersion(models.Model):
    """A numbered version: a draft until published, then immutable."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    constitution = models.ForeignKey(
        Constitution, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(
        validators=between(1, None), help_text="1, 2, 3... within the constitution."
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        help_text="The version this draft was forked from.",
    )
    changelog = models.TextField(blank=True, help_text="What changed and why; required to publish.")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["constitution", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["constitution", "number"], name="version_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="version_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.constitution.name} v{self.number}"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def scope(self) -> str:
        return f"constitution:{self.constitution_id}"


class Principle(models.Model):
    """One principle of a version. `code` is stable across versions so that diffs align.

    An empty `locale` is the global text; a BCP-47 tag makes this an addendum that overrides the
    global principle with the same code for that locale.
    """

    version = models.ForeignKey(
        ConstitutionVersion, on_delete=models.CASCADE, related_name="principles"
    )
    code = models.CharField(
        max_length=32,
        validators=[RegexValidator(CODE_PATTERN, "Use a code like HARM-01.")],
        help_text="Stable ID such as HARM-01, kept across versions.",
    )
    locale = models.CharField(
        max_length=35,
        blank=True,
        default="",
        validators=[RegexValidator(LOCALE_PATTERN, "Use a BCP-47 tag like de-DE.")],
        help_text="Empty for the global text, or a BCP-47 tag (de-DE) for a locale addendum.",
    )
    title = models.CharField(max_length=200)
    category = models.CharField(
        max_length=64,
        validators=[RegexValidator(CATEGORY_PATTERN, "Use lowercase words joined by - or _.")],
        help_text="Grouping such as harmlessness, honesty, helpfulness.",
    )
    priority = models.PositiveIntegerField(
        default=100,
        validators=between(*PRIORITY_RANGE),
        help_text="Lower runs first: the explicit order that resolves conflicts.",
    )
    critique_request = models.TextField(help_text="What the critic is asked to look for.")
    revision_instruction = models.TextField(help_text="How the critic should revise a response.")
    few_shot_example = models.TextField(blank=True, help_text="Optional worked example.")
    lock_version = models.PositiveIntegerField(
        default=1, help_text="Increases on every save; an edit must name the one it started from."
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["priority", "code", "locale"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "code", "locale"], name="principle_code_locale_unique"
            ),
            range_check("priority", *PRIORITY_RANGE, name="principle_priority_range"),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.locale})" if self.locale else self.code

    @property
    def is_addendum(self) -> bool:
        return bool(self.locale)


class ReleaseTag(models.Model):
    """A model release trained with a published version, e.g. "assistant-2026.11"."""

    version = models.ForeignKey(ConstitutionVersion, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(max_length=100, help_text="Model release name.")
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["version", "name"], name="release_tag_unique")
        ]

    def __str__(self) -> str:
        return self.name
