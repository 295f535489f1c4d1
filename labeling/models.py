from django.conf import settings
from django.db import models
from django.db.models import Q

from cai_audit.bounds import SEED_MAX, between, range_check
from cai_audit.work.models import QueuedBatch, QueuedRun, RunStatus
from constitutions.models import ConstitutionVersion

# A probability, or a share.
UNIT = between(0.0, 1.0)


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


class CriticConfig(models.Model):
    """Which model critiques and judges, through which backend, with which sampling settings."""

    class Backend(models.TextChoices):
        TRANSFORMERS = "transformers", "Local transformers model"
        OPENAI = "openai", "OpenAI-compatible server (vLLM, TGI, Ollama, hosted)"

    name = models.CharField(max_length=100, unique=True)
    backend = models.CharField(max_length=16, choices=Backend.choices)
    model = models.CharField(
        max_length=300,
        help_text="smollm2-135m-instruct (shipped), a local model folder, or the server's model.",
    )
    base_url = models.URLField(blank=True, help_text="OpenAI-compatible: e.g. http://gpu:8000/v1")
    api_key_env = models.CharField(
        max_length=100, blank=True, help_text="Environment variable that holds the API key."
    )
    max_new_tokens = models.PositiveIntegerField(default=160, validators=between(1, 8192))
    temperature = models.FloatField(default=0.0, validators=between(0.0, 2.0))
    top_p = models.FloatField(default=1.0, validators=between(0.01, 1.0))
    batch_size = models.PositiveIntegerField(
        default=8, validators=between(1, 512), help_text="Local batch size."
    )
    max_concurrency = models.PositiveIntegerField(
        default=8, validators=between(1, 256), help_text="HTTP requests in flight."
    )
    timeout_s = models.PositiveIntegerField(
        default=60, validators=between(1, 3600), help_text="Seconds per HTTP request."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(temperature__gte=0) & Q(top_p__gt=0) & Q(top_p__lte=1),
                name="critic_sampling_valid",
            ),
            range_check("max_new_tokens", 1, 8192, name="critic_max_new_tokens_range"),
            range_check("temperature", 0.0, 2.0, name="critic_temperature_range"),
            range_check("batch_size", 1, 512, name="critic_batch_size_range"),
            range_check("max_concurrency", 1, 256, name="critic_max_concurrency_range"),
            range_check("timeout_s", 1, 3600, name="critic_timeout_range"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def step_size(self) -> int:
        """Units sent to the backend per call: the local batch size, or 64 for a server (its
        own concurrency bound spreads them)."""
        return max(1, self.batch_size if self.backend == self.Backend.TRANSFORMERS else 64)

    def snapshot(self) -> dict:
        """Everything that shaped its labels, kept on each run (the config may change later)."""
        return {
            "name": self.name,
            **self.backend_config(),
            "max_new_tokens": self.max_new_tokens,
            "temperature": self.temperature,
            "top_p": self.top_p,
        }

    def backend_config(self) -> dict:
        """What the engine's registry needs to build the backend (no secrets)."""
        if self.backend == self.Backend.OPENAI:
            return {
                "backend": "openai",
                "base_url": self.base_url,
                "model": self.model,
                "api_key_env": self.api_key_env,
                "max_concurrency": self.max_concurrency,
                "timeout_s": self.timeout_s,
            }
        return {"backend": "transformers", "model": self.model, "batch_size": self.batch_size}


class PromptTemplate(models.Model):
    """The exact text of every prompt template ever used, found by the hash labels keep."""

    kind = models.CharField(max_length=32)
    sha256 = models.CharField(max_length=64, unique=True)
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.kind}:{self.sha256[:12]}"


class LabelingRun(QueuedRun):
    """A constitution version x item set x task x critic, split into batches on a queue (the
    status, totals and timestamps are the shared queued run's: cai_audit/work/models.py)."""

    class Task(models.TextChoices):
        CRITIQUE = "critique", "Critique and revision"
        PREFERENCE = "preference", "Pairwise preference"

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
    critic = models.ForeignKey(CriticConfig, on_delete=models.PROTECT, related_name="runs")
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
        ]

    def __str__(self) -> str:
        return f"Run {self.pk} ({self.get_task_display()})"


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

    p_a_first = models.FloatField(validators=UNIT, help_text="P(A) with A shown first.")
    p_a_second = models.FloatField(
        validators=UNIT, help_text="P(A) with A shown second (the order swapped)."
    )
    p_a = models.FloatField(validators=UNIT, help_text="Debiased: mean of both orders.")
    confidence = models.FloatField(validators=UNIT, help_text="max(p_a, 1 - p_a).")
    margin = models.FloatField(validators=UNIT, help_text="|2 p_a - 1|.")
    entropy = models.FloatField(validators=UNIT, help_text="Binary entropy of p_a, in bits.")
    position_stuck = models.BooleanField(
        help_text="The judge picked the same position in both orders."
    )
    option_mass = models.FloatField(
        validators=UNIT, help_text="Lowest raw probability mass on the option tokens."
    )
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
