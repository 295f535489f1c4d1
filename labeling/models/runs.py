"""Labeling runs and their batches."""

from django.db import models

from cai_audit.bounds import SEED_MAX, between, range_check
from cai_audit.work.models import QueuedBatch, QueuedRun, RunStatus
from constitutions.models import ConstitutionVersion

from .critics import CriticConfig
from .items import ItemSet
from .sources import Judge, LabelSource


class LabelingRun(QueuedRun):
    """A constitution version x item set x task x critic, split into batches on a queue (the
    status, totals and timestamps are the shared queued run's: cai_audit/work/models.py).

    Labels made elsewhere belong to runs too, so that they are sampled, reviewed, counted and
    exported like the critic's: an imported file, or one source's stream per constitution
    version, task and judge, has `origin` import or stream, an external `judge` and a `source`,
    and no critic or batches."""

    class Task(models.TextChoices):
        CRITIQUE = "critique", "Critique and revision"
        PREFERENCE = "preference", "Pairwise preference"
        SAFETY = "safety", "Safety verdict"

    class Origin(models.TextChoices):
        CRITIC = "critic", "Labelled here by a critic"
        IMPORT = "import", "Imported from a file"
        STREAM = "stream", "Streamed in through the API"

    class Selection(models.TextChoices):
        ALL = "all", "Every principle"
        CATEGORY = "category", "Every principle of one category"
        CODE = "code", "One principle"
        SAMPLED = "sampled", "One principle sampled per item"

    Status = RunStatus

    constitution_version = models.ForeignKey(
        ConstitutionVersion, on_delete=models.PROTECT, related_name="labeling_runs"
    )
    item_set = models.ForeignKey(ItemSet, on_delete=models.PROTECT, related_name="runs")
    critic = models.ForeignKey(
        CriticConfig, null=True, blank=True, on_delete=models.PROTECT, related_name="runs"
    )
    origin = models.CharField(max_length=8, choices=Origin.choices, default=Origin.CRITIC)
    judge = models.ForeignKey(
        Judge, null=True, blank=True, on_delete=models.PROTECT, related_name="runs",
        help_text="The external judge that made an imported or streamed run's labels.",
    )  # fmt: skip
    source = models.ForeignKey(
        LabelSource, null=True, blank=True, on_delete=models.PROTECT, related_name="runs"
    )
    task = models.CharField(max_length=16, choices=Task.choices)
    selection = models.CharField(max_length=16, choices=Selection.choices, default=Selection.ALL)
    selection_value = models.CharField(
        max_length=64, blank=True, help_text="The category or principle code selected."
    )
    item_limit = models.PositiveIntegerField(
        null=True, blank=True, validators=between(1, 10_000_000),
        help_text="Label only the first N items of the set.",
    )  # fmt: skip
    seed = models.PositiveIntegerField(default=0, validators=between(0, SEED_MAX))
    batch_size = models.PositiveIntegerField(default=8, validators=between(1, 512))
    prompt_templates = models.JSONField(default=dict, help_text="Template kind -> sha256.")
    critic_snapshot = models.JSONField(
        default=dict, help_text="The critic configuration as it was when the run started."
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            range_check(
                "item_limit", 1, 10_000_000, nullable=True, name="labeling_run_item_limit_range"
            ),
            range_check("batch_size", 1, 512, name="labeling_run_batch_size_range"),
            # A critic's run names its critic; labels made elsewhere name their judge and source.
            models.CheckConstraint(
                condition=(
                    models.Q(origin="critic", critic__isnull=False, judge__isnull=True)
                    | models.Q(
                        origin__in=["import", "stream"],
                        critic__isnull=True,
                        judge__isnull=False,
                        source__isnull=False,
                    )
                ),
                name="labeling_run_maker",
            ),
        ]
        indexes = [models.Index(fields=["source", "origin"])]

    def __str__(self) -> str:
        return f"Run {self.pk} ({self.get_task_display()})"

    @property
    def external(self) -> bool:
        """Labels made elsewhere (imported or streamed): no critic, no batches."""
        return self.origin != self.Origin.CRITIC

    @property
    def maker(self) -> "CriticConfig | Judge":
        """Who made the run's labels: its critic, or the external judge."""
        return self.critic if self.critic_id else self.judge


class RunBatch(QueuedBatch):
    """A chunk of a labeling run."""

    run = models.ForeignKey(LabelingRun, on_delete=models.CASCADE, related_name="batches")
    units = models.JSONField(help_text="[[item_id, principle_code], ...] to label.")

    class Meta:
        ordering = ["run", "index"]
        constraints = [models.UniqueConstraint(fields=["run", "index"], name="batch_index_unique")]
        indexes = [models.Index(fields=["run", "status"])]

    def __str__(self) -> str:
        return f"Run {self.run_id} batch {self.index}"
