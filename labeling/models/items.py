"""What AI labels are made on: imported item sets and their items."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class ItemSet(models.Model):
    """One import: a named set of items that labeling runs work on."""

    name = models.CharField(max_length=200)
    source_filename = models.CharField(max_length=255, blank=True)
    item_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        permissions = [
            ("import_items", "Can import items"),
            ("run_labeling", "Can start, cancel and retry labeling runs"),
            ("manage_critics", "Can create and edit critic configurations"),
            ("view_labels", "Can see AI labels, labeling runs, items and critic configurations"),
            ("import_labels", "Can import AI labels made elsewhere from files"),
            ("ingest_labels", "Can send AI labels made elsewhere through the streaming API"),
            ("manage_sources", "Can create and edit external judges and label sources"),
        ]

    def __str__(self) -> str:
        return self.name


class Item(models.Model):
    """A prompt with one response (to critique) or two (to compare)."""

    class Kind(models.TextChoices):
        SINGLE = "single", "Single response"
        PAIR = "pair", "Response pair"

    item_set = models.ForeignKey(ItemSet, on_delete=models.CASCADE, related_name="items")
    line = models.PositiveIntegerField(help_text="Line of the imported file.")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    external_id = models.CharField(max_length=200, blank=True)
    prompt = models.JSONField(help_text="Chat messages up to the response: [{role, content}].")
    response_a = models.TextField(help_text="The response (single) or response A (pair).")
    response_b = models.TextField(blank=True, help_text="Response B of a pair.")
    human_choice = models.CharField(
        max_length=1, blank=True, help_text="A or B when the source holds a human preference."
    )
    domain = models.CharField(max_length=100, blank=True)
    harm_category = models.CharField(max_length=100, blank=True)
    locale = models.CharField(max_length=35, blank=True)
    high_stakes = models.BooleanField(default=False)
    source = models.CharField(max_length=100, blank=True)
    metadata = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["item_set", "line"]
        constraints = [
            models.UniqueConstraint(fields=["item_set", "line"], name="item_line_unique"),
            models.CheckConstraint(
                condition=Q(kind="single", response_b="") | Q(kind="pair"),
                name="item_single_has_no_b",
            ),
        ]
        indexes = [models.Index(fields=["item_set", "kind"])]

    def __str__(self) -> str:
        return f"{self.item_set_id}:{self.line}"

    @property
    def last_user_message(self) -> str:
        users = [m["content"] for m in self.prompt if m.get("role") == "user"]
        return users[-1] if users else ""
