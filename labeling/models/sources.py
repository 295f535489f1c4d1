"""Who made labels the app did not make itself, and where they came from.

A `Judge` is the identity of an AI judge that runs elsewhere (a vLLM batch job, a hosted API, a
safety classifier such as Llama Guard): the app keeps "who labelled this" without a backend to
call. A `LabelSource` is a pipeline or service that sends labels in (file imports and the
streaming API); (source, external id) is what makes a retried delivery write nothing twice.
"""

from django.conf import settings
from django.db import models


class Judge(models.Model):
    """An AI judge that runs outside the app: name, model, version and free provenance."""

    name = models.CharField(max_length=100, unique=True)
    model = models.CharField(
        max_length=300,
        help_text="The model, e.g. meta-llama/Llama-Guard-3-8B or gpt-4o-2024-08-06.",
    )
    version = models.CharField(
        max_length=100, blank=True, help_text="The judge's own version: prompt, checkpoint, date."
    )
    description = models.TextField(blank=True)
    provenance = models.JSONField(
        default=dict,
        blank=True,
        help_text="Anything that says how it labels: pipeline, prompt, hardware.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.model}{' ' + self.version if self.version else ''})"

    def snapshot(self) -> dict:
        """What a run keeps of the judge (the record may be edited later)."""
        return {
            "name": self.name,
            "backend": "external",
            "model": self.model,
            "version": self.version,
            "provenance": self.provenance,
        }


class LabelSource(models.Model):
    """A pipeline or service whose AI labels arrive here, by file or through the streaming API."""

    key = models.SlugField(
        max_length=64, unique=True, help_text="Short stable name used by the API, e.g. prod-guard."
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    judge = models.ForeignKey(
        Judge,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sources",
        help_text="The judge of rows that name none.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return self.name or self.key
