from django.db import models
from django.db.models import Q

from labeling.models import UNIT, LabelProvenance


class ToxicityLabel(LabelProvenance):
    """A toy AI label from another pipeline: a response flagged toxic or clean."""

    class Flag(models.TextChoices):
        TOXIC = "toxic", "Toxic"
        CLEAN = "clean", "Clean"

    flag = models.CharField(max_length=8, choices=Flag.choices)
    confidence = models.FloatField(validators=UNIT)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(confidence__gte=0) & Q(confidence__lte=1), name="toy_confidence_unit"
            )
        ]
        default_related_name = "toxicity_labels"
