"""Label counts kept as labels are written."""

from django.db import models

from .runs import LabelingRun


class LabelTally(models.Model):
    """How many AI labels a run made per principle, category, domain, locale, harm category and
    week (and how many were position-stuck), counted as the labels are written, so dashboards
    never scan the million-row label tables."""

    run = models.ForeignKey(LabelingRun, on_delete=models.CASCADE, related_name="tallies")
    kind = models.CharField(max_length=16, help_text="preference or critique.")
    principle_code = models.CharField(max_length=32)
    principle_category = models.CharField(max_length=100, blank=True)
    domain = models.CharField(max_length=100, blank=True)
    locale = models.CharField(max_length=35, blank=True)
    harm_category = models.CharField(max_length=100, blank=True)
    week = models.DateField(help_text="Monday of the week the labels were made.")
    labels = models.PositiveIntegerField(default=0)
    stuck = models.PositiveIntegerField(default=0, help_text="Position-stuck preferences.")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "run", "kind", "principle_code", "principle_category", "domain", "locale",
                    "harm_category", "week",
                ],
                name="label_tally_unique",
            )
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.labels} {self.kind} labels of run {self.run_id}, {self.principle_code}"
