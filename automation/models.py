"""Continuous audit: rules that send arriving AI labels to review, scheduled draws, and checks.

A rule owns one ReviewSample (and its ReviewQueue): every label it sends joins that sample with
the inclusion probability of the rule's design, so the weighted estimates stay unbiased. A
scheduled draw owns one sample too; each run adds its time window as new strata. Schedules,
window rules and checks each keep a django-celery-beat PeriodicTask in step (automation.beat).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from cai_audit.bounds import SEED_MAX, between
from labeling import kinds

UNIT_OPEN = between(0.0, 1.0)


class Window(models.TextChoices):
    HOUR = "hour", "Hour"
    DAY = "day", "Day"
    WEEK = "week", "Week"


class AutomationRule(models.Model):
    """A label filter + a sampling design + an action, applied to labels as they arrive."""

    class Mode(models.TextChoices):
        POISSON = "poisson", "Each matching label with probability p, on arrival"
        WINDOW = "window", "A fixed number n per time window"

    class Action(models.TextChoices):
        REVIEW = "review", "Add to a review queue"
        CRITIC = "critic", "Judge with a critic"
        REDTEAM = "redteam", "Re-run a red-team suite"

    name = models.CharField(max_length=200)
    label_kind = models.CharField(max_length=32, help_text="The AI-label kind (labeling.kinds).")
    label_filter = models.JSONField(
        default=dict, blank=True, help_text="LabelFilter.as_dict(): principles, judges, sources."
    )
    high_stakes = models.BooleanField(
        null=True, blank=True, help_text="Only high-stakes labels (yes), only others (no), or all."
    )
    confidence_min = models.FloatField(null=True, blank=True, validators=UNIT_OPEN)
    confidence_max = models.FloatField(null=True, blank=True, validators=UNIT_OPEN)
    mode = models.CharField(max_length=8, choices=Mode.choices, default=Mode.POISSON)
    rate = models.FloatField(
        null=True,
        blank=True,
        validators=UNIT_OPEN,
        help_text="Poisson: the chance p that a matching label is sent (0 < p <= 1).",
    )
    per_window = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=between(1, 20_000),
        help_text="Fixed: how many labels are drawn per window.",
    )
    window = models.CharField(max_length=8, choices=Window.choices, blank=True)
    window_started_at = models.DateTimeField(
        null=True, blank=True, help_text="The start of the window not yet drawn."
    )
    action = models.CharField(max_length=8, choices=Action.choices, default=Action.REVIEW)
    overlap = models.PositiveSmallIntegerField(default=2, validators=between(1, 5))
    blind = models.BooleanField(default=True)
    reviewers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    critic = models.ForeignKey(
        "labeling.CriticConfig", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    suite = models.ForeignKey(
        "redteam.Suite", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    seed = models.PositiveIntegerField(default=0, validators=between(0, SEED_MAX))
    sample = models.OneToOneField(
        "reviews.ReviewSample",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="automation_rule",
    )
    paused = models.BooleanField(default=False)
    labels_seen = models.PositiveBigIntegerField(default=0)
    labels_sent = models.PositiveBigIntegerField(default=0)
    periodic_task = models.OneToOneField(
        "django_celery_beat.PeriodicTask",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name", "id"]
        permissions = [("manage_automation", "Can manage automation rules, schedules and checks")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(mode="poisson", rate__gt=0, rate__lte=1)
                    | Q(mode="window", per_window__gte=1, window__in=["hour", "day", "week"])
                ),
                name="automation_rule_design",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def kind(self) -> kinds.LabelKind:
        return kinds.get(self.label_kind)

    @property
    def realised_rate(self) -> float | None:
        return self.labels_sent / self.labels_seen if self.labels_seen else None


class RuleArrival(models.Model):
    """One delivery of labels a rule has applied to: a re-sent arrival does nothing twice."""

    rule = models.ForeignKey(AutomationRule, on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["rule", "digest"], name="rule_arrival_once")]

    def __str__(self) -> str:
        return f"{self.rule_id}:{self.digest[:12]}"


class _Scheduled(models.Model):
    """What scheduled draws and checks share: a crontab, a pause switch, the beat task."""

    name = models.CharField(max_length=200)
    minute = models.CharField(max_length=60, default="0")
    hour = models.CharField(max_length=60, default="0")
    day_of_week = models.CharField(max_length=60, default="*")
    day_of_month = models.CharField(max_length=60, default="*")
    month_of_year = models.CharField(max_length=60, default="*")
    paused = models.BooleanField(default=False)
    periodic_task = models.OneToOneField(
        "django_celery_beat.PeriodicTask",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    last_run_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        abstract = True
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def crontab_text(self) -> str:
        return " ".join(
            (self.minute, self.hour, self.day_of_month, self.month_of_year, self.day_of_week)
        )


class DrawSchedule(_Scheduled):
    """A draw on a crontab, e.g. every Monday 200 labels stratified by principle from last week.

    Each run draws from the labels made since the previous run's window ended (at most one
    `window` back), so windows never overlap; the window becomes part of every stratum key and
    joins the schedule's one sample, whose population grows by the window's size."""

    class Strategy(models.TextChoices):
        RANDOM = "random", "Simple random"
        STRATIFIED = "stratified", "Stratified (proportional)"

    label_kind = models.CharField(max_length=32)
    label_filter = models.JSONField(default=dict, blank=True)
    strategy = models.CharField(max_length=16, choices=Strategy.choices, default="stratified")
    strata = models.JSONField(default=list, blank=True, help_text="Stratify by, e.g. principle.")
    n = models.PositiveIntegerField(validators=between(1, 20_000))
    window = models.CharField(max_length=8, choices=Window.choices, default=Window.WEEK)
    overlap = models.PositiveSmallIntegerField(default=2, validators=between(1, 5))
    blind = models.BooleanField(default=True)
    reviewers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    seed = models.PositiveIntegerField(default=0, validators=between(0, SEED_MAX))
    sample = models.OneToOneField(
        "reviews.ReviewSample",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="draw_schedule",
    )
    drawn_until = models.DateTimeField(null=True, blank=True, help_text="End of the last window.")


class Check(_Scheduled):
    """A drift or backlog check on a crontab; it alerts once per window (the alert's key)."""

    class Measure(models.TextChoices):
        ERROR_RATE = "error_rate", "AI error rate among reviewed labels (drift)"
        CHOICE_SHARE = "choice_share", "Share of one AI choice among AI labels (drift)"
        BACKLOG = "backlog", "Open review slots (backlog)"

    measure = models.CharField(max_length=16, choices=Measure.choices)
    label_kind = models.CharField(max_length=32, blank=True)
    label_filter = models.JSONField(default=dict, blank=True)
    choice = models.CharField(max_length=32, blank=True, help_text="For the share: e.g. A.")
    window = models.CharField(max_length=8, choices=Window.choices, default=Window.WEEK)
    threshold = models.FloatField(
        validators=between(0.0, 1e9),
        help_text="Drift: the change between windows that alerts (0.1 = 10 points); "
        "backlog: the open slots above which it alerts.",
    )
    min_count = models.PositiveIntegerField(
        default=20, help_text="Drift: each window needs this many labels to compare."
    )
    queue = models.ForeignKey(
        "reviews.ReviewQueue",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Backlog: this queue (or every queue when empty).",
    )
    last_value = models.FloatField(null=True, blank=True, validators=between(0.0, 1e9))
    last_alert_key = models.CharField(
        max_length=200, blank=True, help_text="The key of the last alert sent (sent once)."
    )
