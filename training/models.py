from django.conf import settings
from django.db import models
from django.db.models import Q

from cai_audit.bounds import between, range_check
from cai_audit.leases import WorkerLease
from cai_audit.work.jobs import JobStatus, QueuedJob
from cai_audit.work.models import QueuedWork


class DatasetSnapshot(models.Model):
    """An immutable, content-hashed export of audited labels in one training format."""

    class Format(models.TextChoices):
        SFT_MESSAGES = "sft_messages", "SFT, conversational (messages) from revisions"
        SFT_PROMPT_COMPLETION = "sft_prompt_completion", "SFT, prompt/completion from revisions"
        PREFERENCE = "preference", "Preference, conversational (DPO, reward model)"
        PREFERENCE_PLAIN = "preference_plain", "Preference, plain text (DPO, reward model)"
        KTO = "kto", "KTO (prompt, completion, label)"
        AUDIT_PARQUET = "audit_parquet", "Full audit record, Parquet"
        AUDIT_CSV = "audit_csv", "Full audit record, CSV"

    class Policy(models.TextChoices):
        GOLD_OVERRIDES = "gold_overrides", "Human gold overrides the AI"
        DROP_DISAGREEMENTS = "drop_disagreements", "Drop labels humans disagree with"
        AI_CONFIDENT = "ai_confident", "AI labels above a confidence, humans ignored"
        AUDITED_ONLY = "audited_only", "Audited labels only (human gold)"

    name = models.CharField(max_length=200)
    format = models.CharField(max_length=32, choices=Format.choices)
    label_kind = models.CharField(max_length=16, help_text="preference or critique.")
    policy = models.CharField(max_length=32, choices=Policy.choices)
    min_confidence = models.FloatField(
        default=0.0,
        validators=between(0.0, 1.0),
        help_text="With the AI-confident policy: keep AI labels at least this sure.",
    )
    filters = models.JSONField(default=dict, help_text="Version, principles, categories, ...")
    sha256 = models.CharField(max_length=64, help_text="Hash of the data file.")
    rows = models.PositiveIntegerField(default=0)
    size_bytes = models.PositiveBigIntegerField(default=0)
    stats = models.JSONField(default=dict, help_text="Label sources, principles, agreement.")
    folder = models.CharField(max_length=300, help_text="Under SNAPSHOT_DIR.")
    data_file = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        permissions = [
            ("export_dataset", "Can export dataset snapshots"),
            ("run_training", "Can start and cancel training jobs"),
        ]
        constraints = [
            range_check("min_confidence", 0.0, 1.0, name="snapshot_min_confidence_range")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.sha256[:12]})"

    @property
    def is_preference(self) -> bool:
        return self.format in (self.Format.PREFERENCE, self.Format.PREFERENCE_PLAIN)


class TrainingJob(QueuedWork, WorkerLease):
    """SFT, reward model or DPO training on a snapshot, run by a worker on the training queue (who
    asked, when, why it failed: the shared queued work's fields, cai_audit/work/models.py)."""

    class Method(models.TextChoices):
        SFT = "sft", "SFT on revised responses (Stage A)"
        REWARD = "reward", "Reward model"
        DPO = "dpo", "DPO (Stage B)"

    Status = JobStatus  # the same stored values and labels as every single-task job's

    snapshot = models.ForeignKey(DatasetSnapshot, on_delete=models.PROTECT, related_name="jobs")
    name = models.CharField(max_length=200)
    method = models.CharField(max_length=8, choices=Method.choices)
    base_model = models.CharField(
        max_length=500, help_text='A local model folder, or "default" for the shipped SmolLM2.'
    )
    hyperparameters = models.JSONField(default=dict)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    cancel_requested = models.BooleanField(default=False)
    step = models.PositiveIntegerField(default=0)
    total_steps = models.PositiveIntegerField(default=0)
    eta_s = models.FloatField(null=True, blank=True, validators=between(0.0, None))
    device = models.CharField(max_length=100, blank=True)
    losses = models.JSONField(default=list, help_text="[[step, loss], ...]")
    metrics = models.JSONField(default=dict, help_text="Latest logged and final metrics.")
    log = models.TextField(blank=True)
    lineage = models.JSONField(default=dict)
    output_dir = models.CharField(max_length=500, blank=True)
    attempts = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(step__lte=models.F("total_steps")) | Q(total_steps=0),
                name="training_step_within_total",
            )
        ]

    def __str__(self) -> str:
        return self.name


class SnapshotExportJob(QueuedJob):
    """A snapshot export, queued (a million labels take a worker about 17 s): what was asked
    for, how far the export is, and the snapshot it made."""

    name = models.CharField(max_length=200)
    format = models.CharField(max_length=32, choices=DatasetSnapshot.Format.choices)
    label_kind = models.CharField(max_length=16, blank=True, help_text="preference or critique.")
    policy = models.CharField(max_length=32, choices=DatasetSnapshot.Policy.choices)
    min_confidence = models.FloatField(default=0.0, validators=between(0.0, 1.0))
    filters = models.JSONField(
        default=dict, help_text="The label filter, as the snapshot keeps it."
    )
    snapshot = models.OneToOneField(
        DatasetSnapshot, null=True, blank=True, on_delete=models.SET_NULL, related_name="export_job"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            range_check("min_confidence", 0.0, 1.0, name="snapshot_export_min_confidence_range")
        ]

    def __str__(self) -> str:
        return f"Export {self.name} ({self.status})"


class ModelPackageJob(QueuedJob):
    """Packing a finished training job's model, tokenizer, metrics and lineage into one tar.gz,
    on the `training` queue (where the model files are), so that a download never builds it."""

    training_job = models.OneToOneField(
        TrainingJob, on_delete=models.CASCADE, related_name="package"
    )

    def __str__(self) -> str:
        return f"Package of {self.training_job_id} ({self.status})"
