"""AI label rows: the facts every kind shares, and the labeling app's kinds."""

from django.db import models
from django.db.models import Q

from cai_audit.bounds import between
from labeling.choices import VerdictClass

from .items import Item
from .runs import LabelingRun

# A probability, or a share.
UNIT = between(0.0, 1.0)


class AILabel(models.Model):
    """What every AI label row holds, whatever its kind: the principle it was made under, the
    facts copied from what it judged (so that sampling and dashboards over millions of labels
    filter and group without joins), and the model and settings that made it. A kind's model
    adds its run, what it judged, and its answer; see labeling/kinds."""

    principle_code = models.CharField(max_length=32)
    principle_category = models.CharField(
        max_length=64, blank=True, help_text="The principle's category when the label was made."
    )
    principle_locale = models.CharField(
        max_length=35, blank=True, help_text="The addendum used, when the item's locale has one."
    )
    locale = models.CharField(max_length=35, blank=True)
    harm_category = models.CharField(max_length=100, blank=True)
    high_stakes = models.BooleanField(default=False)
    model_id = models.CharField(max_length=300)
    sampling = models.JSONField(default=dict, help_text="max_new_tokens, temperature, top_p, seed.")
    latency_ms = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class LabelProvenance(AILabel):
    """A label made by a labeling run on an item: enough to reproduce it."""

    run = models.ForeignKey(LabelingRun, on_delete=models.CASCADE)
    item = models.ForeignKey(Item, on_delete=models.CASCADE)
    # Copied from the (immutable) item, like the other facts.
    domain = models.CharField(max_length=100, blank=True)
    external_id = models.CharField(
        max_length=200, blank=True, help_text="The label's id where it was made (imported labels)."
    )
    rationale = models.TextField(
        blank=True, help_text="The judge's stated reason, when an imported label carries one."
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.principle_code} on item {self.item_id} (run {self.run_id})"


class CritiqueLabel(LabelProvenance):
    """Stage A: the critic's critique of a response under one principle, and its revision."""

    critique = models.TextField()
    revision = models.TextField()

    class Meta:
        ordering = ["item", "principle_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "item", "principle_code"], name="critique_label_unique"
            )
        ]
        indexes = [models.Index(fields=["run", "created_at"])]
        default_related_name = "critiques"


class PreferenceLabel(LabelProvenance):
    """Stage B: P(A better under the principle), judged in both orders and averaged."""

    p_a_first = models.FloatField(
        null=True, blank=True, validators=UNIT,
        help_text="P(A) with A shown first (null: an imported judge reported one order only).",
    )  # fmt: skip
    p_a_second = models.FloatField(
        null=True, blank=True, validators=UNIT,
        help_text="P(A) with A shown second (the order swapped).",
    )  # fmt: skip
    p_a = models.FloatField(validators=UNIT, help_text="Debiased: mean of both orders.")
    confidence = models.FloatField(validators=UNIT, help_text="max(p_a, 1 - p_a).")
    margin = models.FloatField(validators=UNIT, help_text="|2 p_a - 1|.")
    entropy = models.FloatField(validators=UNIT, help_text="Binary entropy of p_a, in bits.")
    position_stuck = models.BooleanField(
        help_text="The judge picked the same position in both orders (false when only one order "
        "was judged)."
    )
    option_mass = models.FloatField(
        null=True, blank=True, validators=UNIT,
        help_text="Lowest raw probability mass on the option tokens (null when not reported).",
    )  # fmt: skip
    choice = models.CharField(max_length=3, help_text="A, B, or tie (p_a exactly 0.5).")

    class Meta:
        ordering = ["item", "principle_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "item", "principle_code"], name="preference_label_unique"
            ),
            models.CheckConstraint(
                condition=Q(p_a__gte=0) & Q(p_a__lte=1), name="preference_p_a_in_unit"
            ),
        ]
        indexes = [models.Index(fields=["run", "created_at"])]
        default_related_name = "preferences"


class SafetyLabel(LabelProvenance):
    """A safety classifier's verdict on one response (an item with a single response) under a
    principle: violation, refusal or safe, with the class probabilities when the classifier gave
    them. Made elsewhere and imported or streamed in (e.g. Llama Guard's "unsafe\nS1", mapped
    to a class and harm categories by the source's category table)."""

    verdict = models.CharField(max_length=16, choices=VerdictClass.choices)
    p_violation = models.FloatField(null=True, blank=True, validators=UNIT)
    p_refusal = models.FloatField(null=True, blank=True, validators=UNIT)
    p_safe = models.FloatField(null=True, blank=True, validators=UNIT)
    confidence = models.FloatField(
        validators=UNIT,
        help_text="The probability of the verdict's class (1 when the classifier gave none).",
    )
    categories = models.JSONField(
        default=list, blank=True, help_text='The classifier\'s category codes, e.g. ["S1"].'
    )
    raw_output = models.TextField(blank=True, help_text="The classifier's output as it came.")

    class Meta:
        ordering = ["item", "principle_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "item", "principle_code"], name="safety_label_unique"
            ),
        ]
        indexes = [models.Index(fields=["run", "created_at"])]
        default_related_name = "safety_labels"


class PreferenceEnsemble(models.Model):
    """An item judged under several principles in one run: the combined verdict and how much
    the principles disagree (a signal for which labels humans should audit)."""

    run = models.ForeignKey(LabelingRun, on_delete=models.CASCADE, related_name="ensembles")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="ensembles")
    members = models.PositiveIntegerField(help_text="How many principle verdicts were combined.")
    p_a = models.FloatField(validators=UNIT, help_text="Mean debiased P(A) over the members.")
    p_a_std = models.FloatField(
        validators=UNIT, help_text="Standard deviation of the members' P(A)."
    )
    disagreement = models.FloatField(
        validators=UNIT,
        help_text="Share of members whose choice differs from the members' majority vote.",
    )
    choice = models.CharField(max_length=3)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "item"], name="preference_ensemble_unique")
        ]

    def __str__(self) -> str:
        return f"Ensemble of {self.members} on item {self.item_id} (run {self.run_id})"
