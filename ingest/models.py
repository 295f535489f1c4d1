"""What the ingest app stores: the keys that make streamed labels idempotent, and each source's
table from a safety classifier's category codes to our harm categories and verdict classes."""

from django.db import models

from labeling.choices import VerdictClass
from labeling.models import LabelSource


class IngestKey(models.Model):
    """One label that arrived through the streaming API, by (source, external id): the unique
    constraint is what makes a retried or concurrent batch write nothing twice (rows are
    inserted with ON CONFLICT DO NOTHING before their labels are written)."""

    source = models.ForeignKey(LabelSource, on_delete=models.CASCADE, related_name="ingest_keys")
    external_id = models.CharField(max_length=200)
    kind = models.CharField(max_length=32, help_text="The label kind (labeling.kinds key).")
    label_id = models.BigIntegerField(help_text="The label's id in the kind's table.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"], name="ingest_key_source_external_id_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source_id}:{self.external_id}"


class CategoryMap(models.Model):
    """One category code of a source's safety classifier (Llama Guard's S1, S2, ...): the harm
    category and verdict class a label with that code gets. Edited by people on the category
    page; a code with no row refuses the rows that name it."""

    source = models.ForeignKey(LabelSource, on_delete=models.CASCADE, related_name="category_map")
    code = models.CharField(max_length=32, help_text="The classifier's code, e.g. S1.")
    harm_category = models.CharField(max_length=100, help_text="Our harm category, e.g. violence.")
    verdict = models.CharField(
        max_length=16, choices=VerdictClass.choices, default=VerdictClass.VIOLATION
    )

    class Meta:
        ordering = ["source", "code"]
        constraints = [
            models.UniqueConstraint(fields=["source", "code"], name="category_map_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} -> {self.harm_category}"
