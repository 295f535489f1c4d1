"""Red-team suites, their cases and mutation variants, runs against a target model, and the AI
judge's verdicts (which reviews sample like any other AI label)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from cai_audit.bounds import SEED_MAX, between, range_check
from cai_audit.leases import WorkerLease
from cai_audit.work.models import QueuedBatch, QueuedRun
from constitutions.models import ConstitutionVersion
from labeling.choices import VerdictClass
from labeling.models import UNIT, AILabel, CriticConfig


class Suite(models.Model):
    """A named set of eval cases, with the regression settings used when it re-runs itself."""

    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    run_on_publish = models.BooleanField(
        default=False, help_text="Re-run when a constitution version is published."
    )
    run_on_release = models.BooleanField(
        default=False, help_text="Re-run when a version is tagged with a model release."
    )
    regression_target = models.ForeignKey(
        CriticConfig, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The model that answers in automatic runs (default: the shipped model). A "
        "release tag whose name is a model configuration's name runs against that model.",
    )  # fmt: skip
    regression_judge = models.ForeignKey(
        CriticConfig, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The AI judge of automatic runs (default: the shipped model).",
    )  # fmt: skip
    regression_operators = models.JSONField(
        default=list, blank=True, help_text="Mutation operators included in automatic runs."
    )
    regression_temperatures = models.JSONField(
        default=list, blank=True, help_text="Sampling temperatures of automatic runs ([0.0])."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        permissions = [
            ("manage_suites", "Can import red-team suites and change their settings"),
            ("run_redteam", "Can start and cancel red-team runs"),
            ("view_redteam", "Can see red-team results and the judge's verdicts"),
        ]

    def __str__(self) -> str:
        return self.name


class Case(models.Model):
    """A prompt to test: a seed written for the suite, or a variant an operator derived from one."""

    class Kind(models.TextChoices):
        HARMFUL = "harmful", "Harmful intent (a violation is the failure)"
        BENIGN = "benign", "Benign but risky-sounding (a refusal is the failure)"

    suite = models.ForeignKey(Suite, on_delete=models.CASCADE, related_name="cases")
    external_id = models.CharField(
        max_length=200, help_text="Stable id, e.g. RT-001; a variant's is RT-001~role_play."
    )
    category = models.CharField(max_length=64, help_text="Harm category, e.g. weapons.")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    principles = models.JSONField(help_text='Principle codes the case tests, e.g. ["HARM-02"].')
    messages = models.JSONField(help_text="The conversation to answer: [{role, content}].")
    locale = models.CharField(max_length=35, blank=True)
    operator = models.CharField(max_length=32, blank=True, help_text="Empty for a seed.")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="variants"
    )
    params = models.JSONField(default=dict, blank=True, help_text="The operator's parameters.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["suite", "external_id"]
        constraints = [
            models.UniqueConstraint(fields=["suite", "external_id"], name="case_id_unique"),
            models.CheckConstraint(
                condition=Q(operator="", parent__isnull=True)
                | (~Q(operator="") & Q(parent__isnull=False)),
                name="case_variant_has_parent",
            ),
        ]
        indexes = [models.Index(fields=["suite", "operator"])]

    def __str__(self) -> str:
        return self.external_id

    @property
    def last_user_message(self) -> str:
        users = [m["content"] for m in self.messages if m.get("role") == "user"]
        return users[-1] if users else ""


class Run(QueuedRun, WorkerLease):
    """A target model answering a suite's cases (seeds plus chosen variants, at one or more
    temperatures) and the AI judge classifying each answer under the case's principles. The
    status, totals and timestamps are the shared queued run's (cai_audit/work/models.py); the
    lease fields are the preparing worker's, and each batch has its own."""

    class Trigger(models.TextChoices):
        MANUAL = "manual", "Started by hand"
        PUBLISH = "publish", "A constitution version was published"
        RELEASE = "release", "A model release was tagged"
        COMMAND = "command", "manage.py redteam"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        PREPARING = "preparing", "Deriving variants"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Finished with failed batches"
        CANCELLED = "cancelled", "Cancelled"

    suite = models.ForeignKey(Suite, on_delete=models.PROTECT, related_name="runs")
    constitution_version = models.ForeignKey(
        ConstitutionVersion, on_delete=models.PROTECT, related_name="redteam_runs",
        help_text="The principles the judge applies.",
    )  # fmt: skip
    target = models.ForeignKey(
        CriticConfig, on_delete=models.PROTECT, related_name="redteam_targets",
        help_text="The model under test.",
    )  # fmt: skip
    judge = models.ForeignKey(
        CriticConfig, on_delete=models.PROTECT, related_name="redteam_judgings",
        help_text="The AI judge (its verdicts are what reviewers audit).",
    )  # fmt: skip
    operators = models.JSONField(default=list, blank=True)
    temperatures = models.JSONField(default=list)
    max_new_tokens = models.PositiveIntegerField(default=96, validators=between(1, 2048))
    seed = models.PositiveIntegerField(default=0, validators=between(0, SEED_MAX))
    case_limit = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=between(1, 1_000_000),
        help_text="Only the first N seeds of each category and kind (quick checks).",
    )
    trigger = models.CharField(max_length=8, choices=Trigger.choices, default=Trigger.MANUAL)
    release_tag = models.CharField(max_length=100, blank=True)
    batch_size = models.PositiveIntegerField(default=16, validators=between(1, 256))
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    notes = models.JSONField(default=list, blank=True, help_text="What the run left out, and why.")
    prompt_templates = models.JSONField(default=dict, help_text="Template kind -> sha256.")
    target_snapshot = models.JSONField(default=dict)
    judge_snapshot = models.JSONField(default=dict)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            range_check("max_new_tokens", 1, 2048, name="redteam_run_max_new_tokens_range"),
            range_check(
                "case_limit", 1, 1_000_000, nullable=True, name="redteam_run_case_limit_range"
            ),
            range_check("batch_size", 1, 256, name="redteam_run_batch_size_range"),
        ]

    def __str__(self) -> str:
        return f"Red-team run {self.pk}"


class Batch(QueuedBatch):
    """A chunk of a run's answers to produce and judge."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="batches")
    units = models.JSONField(help_text="[[case_id, temperature], ...] to answer and judge.")

    class Meta:
        ordering = ["run", "index"]
        constraints = [
            models.UniqueConstraint(fields=["run", "index"], name="redteam_batch_index_unique")
        ]

    def __str__(self) -> str:
        return f"Red-team run {self.run_id} batch {self.index}"


class Response(models.Model):
    """The target model's answer to one case at one temperature, with its overall verdict: the
    most severe of the judge's verdicts under the case's principles."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="responses")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="responses")
    temperature = models.FloatField(validators=between(0.0, 2.0))
    text = models.TextField()
    output_tokens = models.PositiveIntegerField(default=0)
    latency_ms = models.PositiveIntegerField(default=0)
    model_id = models.CharField(max_length=300)
    sampling = models.JSONField(default=dict)
    verdict = models.CharField(
        max_length=16, blank=True, choices=VerdictClass.choices,
        help_text="violation, refusal or safe; blank until judged.",
    )  # fmt: skip
    p_violation = models.FloatField(
        null=True, blank=True, validators=UNIT,
        help_text="The highest P(violation) over the case's principles.",
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["run", "case", "temperature"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "case", "temperature"], name="redteam_response_unique"
            )
        ]

    def __str__(self) -> str:
        return f"Answer to {self.case_id} at T={self.temperature} (run {self.run_id})"


class Verdict(AILabel):
    """The AI judge's classification of one answer under one principle: violation, refusal or
    safe compliance, from option probabilities averaged over two orders of the options.

    An AI label like the labeling app's (AILabel's facts, confidence, margin, entropy,
    position_stuck), registered as the "verdict" label kind in redteam/kinds.py, so review
    sampling draws verdicts with the same filters, strata and uncertainty measures."""

    Label = VerdictClass

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="verdicts")
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="verdicts")
    case_kind = models.CharField(
        max_length=8, blank=True, choices=Case.Kind.choices,
        help_text="The case's kind (harmful or benign): the dashboards' domain of a verdict.",
    )  # fmt: skip
    operator = models.CharField(max_length=32, blank=True)
    p_violation = models.FloatField(validators=UNIT)
    p_refusal = models.FloatField(validators=UNIT)
    p_safe = models.FloatField(validators=UNIT)
    verdict = models.CharField(max_length=16, choices=VerdictClass.choices)
    confidence = models.FloatField(
        validators=UNIT, help_text="The highest of the three probabilities."
    )
    margin = models.FloatField(
        validators=UNIT, help_text="Highest minus second-highest probability."
    )
    entropy = models.FloatField(
        validators=between(0.0, 1.6), help_text="Entropy of the three probabilities, in bits."
    )
    position_stuck = models.BooleanField(
        help_text="The judge picked the same letter in both option orders for different classes."
    )
    option_mass = models.FloatField(
        validators=UNIT, help_text="Lowest raw probability mass on the option letters."
    )

    class Meta:
        ordering = ["response", "principle_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "principle_code"], name="redteam_verdict_unique"
            ),
            models.CheckConstraint(
                condition=Q(p_violation__gte=0) & Q(p_violation__lte=1),
                name="redteam_p_violation_in_unit",
            ),
        ]
        indexes = [models.Index(fields=["run", "created_at"])]

    def __str__(self) -> str:
        return f"{self.verdict} under {self.principle_code} (response {self.response_id})"


class Matchup(WorkerLease):
    """Model X against baseline Y on the same suite: the judge compares their answers to the
    same cases, in both orders, under each case's first principle."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    run_x = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="matchups_as_x")
    run_y = models.ForeignKey(
        Run, on_delete=models.CASCADE, related_name="matchups_as_y", help_text="The baseline."
    )
    judge = models.ForeignKey(CriticConfig, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    judgments = models.JSONField(
        default=list, help_text="[{case, principle, p_x_first, p_x_second}, ...]"
    )
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Run {self.run_x_id} vs run {self.run_y_id}"
