from django.conf import settings
from django.db import models
from django.db.models import Q

from cai_audit.bounds import SEED_MAX, between, range_check
from cai_audit.work.jobs import QueuedJob
from labeling import kinds
from labeling.choices import PreferenceChoice, VerdictClass
from labeling.models import UNIT

# The largest sample one draw may take (what a review team can get through).
SAMPLE_SIZE_MAX = 20_000
# A review timed for longer than a day is a timer left running: stored as a day.
SECONDS_SPENT_MAX = 24 * 3600
# Inclusive bounds of a draw's design settings (kept in ReviewSample.parameters); the
# draw form and the API take the same ones.
DRAW_PARAMETERS = {
    "minimum": (0, SAMPLE_SIZE_MAX),
    "uncertainty_share": (0.0, 1.0),
    "floor": (0.0, 10.0),
    "high_stakes_weight": (1.0, 100.0),
    "novelty_weight": (1.0, 100.0),
}


class ReviewSample(models.Model):
    """A recorded, reproducible draw of AI labels for human review."""

    class Strategy(models.TextChoices):
        RANDOM = "random", "Simple random"
        STRATIFIED = "stratified", "Stratified"
        UNCERTAINTY = "uncertainty", "Uncertainty (probability proportional to score)"
        HYBRID = "hybrid", "Hybrid: uncertainty share + stratified share"
        ACTIVE = "active", "Active: predicted human disagreement"
        # Samples that grow: an automation rule's (Poisson on arrival, or n per window) and a
        # scheduled draw's (each run adds its window as strata). Each label keeps its own pi.
        POISSON = "poisson", "Poisson on arrival (automation rule)"
        WINDOWED = "windowed", "Fixed n per time window (automation)"

    name = models.CharField(max_length=200)
    label_kind = models.CharField(
        max_length=32, choices=kinds.choices, help_text="The AI-label kind drawn (labeling.kinds)."
    )
    strategy = models.CharField(max_length=16, choices=Strategy.choices)
    parameters = models.JSONField(
        default=dict, help_text="Filters, strata, allocation, scores and weights of the draw."
    )
    seed = models.PositiveIntegerField(default=0, validators=between(0, SEED_MAX))
    population_size = models.PositiveIntegerField()
    sample_size = models.PositiveIntegerField(validators=between(0, SAMPLE_SIZE_MAX))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        permissions = [
            ("draw_sample", "Can draw review samples"),
            ("lead_reviews", "Can open review queues and adjudicate"),
            ("view_agreement", "Can see the agreement dashboards and their items"),
        ]

    def __str__(self) -> str:
        return self.name


# The strategies a person draws with (the draw form and API); growing samples are automation's.
DRAWN_STRATEGIES = [
    (value, label)
    for value, label in ReviewSample.Strategy.choices
    if value not in (ReviewSample.Strategy.POISSON, ReviewSample.Strategy.WINDOWED)
]


class SampledLabel(models.Model):
    """One AI label in a sample, with what estimates need: its stratum and inclusion probability."""

    sample = models.ForeignKey(ReviewSample, on_delete=models.CASCADE, related_name="labels")
    # Which AI label: its kind's model (labeling.kinds) and its id there. A kind is one
    # registration, so the reference is generic rather than a foreign key per kind.
    kind = models.CharField(max_length=32, help_text="The AI label's kind (labeling.kinds).")
    label_id = models.BigIntegerField(help_text="The AI label's id in its kind's table.")
    stratum = models.CharField(max_length=300, help_text="The stratum key, e.g. HARM-01|medical.")
    inclusion_probability = models.FloatField(
        validators=UNIT, help_text="The chance the design had to pick it."
    )
    score = models.FloatField(
        default=0.0,
        validators=between(0.0, None),
        help_text="The uncertainty or priority score used.",
    )
    # The AI label's facts, copied when it is drawn (AI labels never change), so the agreement
    # dashboards aggregate reviews without touching the million-row label tables.
    principle_code = models.CharField(max_length=32, blank=True)
    principle_category = models.CharField(max_length=100, blank=True)
    domain = models.CharField(max_length=100, blank=True)
    locale = models.CharField(max_length=35, blank=True)
    harm_category = models.CharField(max_length=100, blank=True)
    constitution_version = models.ForeignKey(
        "constitutions.ConstitutionVersion",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    critic = models.ForeignKey(
        "labeling.CriticConfig", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    judge = models.ForeignKey(
        "labeling.Judge", null=True, blank=True, on_delete=models.CASCADE, related_name="+",
        help_text="The external judge that made an imported or streamed label.",
    )  # fmt: skip
    source = models.ForeignKey(
        "labeling.LabelSource", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    ai_choice = models.CharField(
        max_length=16,
        blank=True,
        help_text="A, B or tie for preferences; violation, refusal or safe for red-team "
        "verdicts; blank for critiques.",
    )
    ai_confidence = models.FloatField(null=True, blank=True, validators=UNIT)
    position_stuck = models.BooleanField(default=False)
    labeled_at = models.DateTimeField(
        null=True, blank=True, help_text="When the AI made the label."
    )

    class Meta:
        ordering = ["sample", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(inclusion_probability__gt=0) & Q(inclusion_probability__lte=1),
                name="sampled_label_pi_in_unit",
            ),
            models.UniqueConstraint(
                fields=["sample", "kind", "label_id"], name="sampled_label_unique"
            ),
        ]
        indexes = [models.Index(fields=["kind", "label_id"])]

    def __str__(self) -> str:
        return f"{self.sample_id}:{self.label_id}"

    @property
    def ai_label(self):
        """The AI label under review, loaded with what shows it (once; the selectors load many
        at once with `ai_labels_attach`)."""
        if not hasattr(self, "_ai_label"):
            kind = kinds.get(self.kind)
            labels = kind.model.objects.select_related(*kind.related)
            self._ai_label = labels.get(pk=self.label_id)
        return self._ai_label

    @ai_label.setter
    def ai_label(self, label) -> None:
        self._ai_label = label


class ReviewQueue(models.Model):
    """A sample opened for review: each label is reviewed by `overlap` different reviewers."""

    sample = models.OneToOneField(ReviewSample, on_delete=models.PROTECT, related_name="queue")
    name = models.CharField(max_length=200)
    overlap = models.PositiveSmallIntegerField(
        default=2,
        validators=between(1, 5),
        help_text="How many different reviewers review each label.",
    )
    blind = models.BooleanField(
        default=True, help_text="Hide the AI's verdict and confidence until the reviewer submits."
    )
    reviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="review_queues", help_text="Who may work on it."
    )
    claim_timeout_s = models.PositiveIntegerField(
        default=600,
        validators=between(30, 86_400),
        help_text="An unfinished claim returns to the queue after this long (30 s to a day).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(overlap__gte=1) & Q(overlap__lte=5), name="queue_overlap_1_to_5"
            ),
            range_check("claim_timeout_s", 30, 86_400, name="queue_claim_timeout_range"),
        ]

    def __str__(self) -> str:
        return self.name


class ReviewSlot(models.Model):
    """One of the `overlap` reviews a sampled label needs. Claimed by one reviewer at a time."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLAIMED = "claimed", "Claimed"
        DONE = "done", "Done"

    queue = models.ForeignKey(ReviewQueue, on_delete=models.CASCADE, related_name="slots")
    sampled_label = models.ForeignKey(SampledLabel, on_delete=models.CASCADE, related_name="slots")
    seat = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    position = models.PositiveIntegerField(help_text="Order in which slots are handed out.")

    class Meta:
        ordering = ["queue", "position", "seat"]
        constraints = [
            models.UniqueConstraint(
                fields=["queue", "sampled_label", "seat"], name="slot_seat_unique"
            ),
            # Never the same label twice for one reviewer, whatever the race.
            models.UniqueConstraint(
                fields=["sampled_label", "reviewer"],
                condition=Q(reviewer__isnull=False),
                name="slot_one_per_reviewer",
            ),
        ]
        indexes = [models.Index(fields=["queue", "status", "position"])]

    def __str__(self) -> str:
        return f"Slot {self.sampled_label_id}/{self.seat} ({self.status})"


class Review(models.Model):
    """A reviewer's verdict on one AI label."""

    Preference = PreferenceChoice
    SafetyVerdict = VerdictClass  # the red-team judge's classes, as a reviewer answers them

    slot = models.OneToOneField(ReviewSlot, on_delete=models.CASCADE, related_name="review")
    sampled_label = models.ForeignKey(
        SampledLabel, on_delete=models.CASCADE, related_name="reviews"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    preference = models.CharField(max_length=8, choices=Preference.choices, blank=True)
    safety_verdict = models.CharField(
        max_length=16, choices=SafetyVerdict.choices, blank=True, default="", db_default="",
        help_text="For red-team verdicts: how the answer behaves under the principle.",
    )  # fmt: skip
    choice = models.CharField(
        max_length=32, blank=True, default="", db_default="",
        help_text="For kinds registered later whose reviewers choose among classes: the class "
        "(labeling.kinds says which; preferences and red-team verdicts have their own fields).",
    )  # fmt: skip
    ai_correct = models.BooleanField(help_text="Does the reviewer agree with the AI label?")
    critique_correct = models.BooleanField(null=True, blank=True)
    revision_better = models.BooleanField(null=True, blank=True)
    principle_at_stake = models.CharField(max_length=32, blank=True)
    corrected_revision = models.TextField(blank=True)
    rationale = models.TextField(blank=True)
    seconds_spent = models.FloatField(default=0, validators=between(0, SECONDS_SPENT_MAX))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["sampled_label", "reviewer"], name="review_one_per_reviewer"
            )
        ]

    def __str__(self) -> str:
        return f"Review of {self.sampled_label_id} by {self.reviewer_id}"


class Skip(models.Model):
    """A reviewer passed on a label: it goes back to the queue, never to them again."""

    sampled_label = models.ForeignKey(SampledLabel, on_delete=models.CASCADE, related_name="+")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["sampled_label", "reviewer"], name="skip_unique")
        ]

    def __str__(self) -> str:
        return f"Skip of {self.sampled_label_id} by {self.reviewer_id}"


class PrincipleFlag(models.Model):
    """A reviewer telling the policy team that a principle was ambiguous on a real label."""

    sampled_label = models.ForeignKey(SampledLabel, on_delete=models.CASCADE, related_name="flags")
    constitution_version = models.ForeignKey(
        "constitutions.ConstitutionVersion", on_delete=models.CASCADE, related_name="flags"
    )
    principle_code = models.CharField(max_length=32)
    note = models.TextField()
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["constitution_version", "principle_code"])]

    def __str__(self) -> str:
        return f"{self.principle_code} flagged: {self.note[:40]}"


class GoldLabel(models.Model):
    """The human answer for a sampled label: from agreeing reviewers, or from adjudication."""

    class Source(models.TextChoices):
        AGREEMENT = "agreement", "Reviewers agreed"
        ADJUDICATION = "adjudication", "Adjudicated by a review lead"

    sampled_label = models.OneToOneField(
        SampledLabel, on_delete=models.CASCADE, related_name="gold"
    )
    preference = models.CharField(max_length=8, choices=Review.Preference.choices, blank=True)
    safety_verdict = models.CharField(
        max_length=16, choices=Review.SafetyVerdict.choices, blank=True, default="", db_default="",
        help_text="For red-team verdicts: how the answer behaves under the principle.",
    )  # fmt: skip
    choice = models.CharField(
        max_length=32, blank=True, default="", db_default="",
        help_text="For kinds registered later: the class decided (see Review.choice).",
    )  # fmt: skip
    ai_correct = models.BooleanField()
    source = models.CharField(max_length=16, choices=Source.choices)
    rationale = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Gold for {self.sampled_label_id} ({self.source})"


class Adjudication(models.Model):
    """Reviewers disagreed: a review lead decides, and the decision becomes gold."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DECIDED = "decided", "Decided"

    sampled_label = models.OneToOneField(
        SampledLabel, on_delete=models.CASCADE, related_name="adjudication"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["status", "created_at"]

    def __str__(self) -> str:
        return f"Adjudication of {self.sampled_label_id} ({self.status})"


class SampleDrawJob(QueuedJob):
    """An active-sampling draw, queued: it embeds up to MAX_ACTIVE_POPULATION texts, too long for
    a web request. `parameters` are the draw's arguments; `sample` is what it drew."""

    name = models.CharField(max_length=200)
    parameters = models.JSONField(default=dict, help_text="n, seed, exploration and the filter.")
    sample = models.OneToOneField(
        ReviewSample, null=True, blank=True, on_delete=models.SET_NULL, related_name="draw_job"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Draw {self.name} ({self.status})"
