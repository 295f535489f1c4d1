"""Where alerts go: channels (an e-mail address or a webhook), the events each one subscribes
to, and the log of every delivery (one per channel, event and alert key)."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.db.models import Q

from cai_audit.alerts import EVENTS

#: A test message a user sends from the page to check a channel; not an event one subscribes to.
TEST_EVENT = "test"
DELIVERY_EVENTS = (*EVENTS, (TEST_EVENT, "Test message"))


class Channel(models.Model):
    """An e-mail address or a webhook URL alerts are sent to, owned by one user or by a team (a
    role group: everyone in it sees the channel, holders of manage_team_channels manage it)."""

    class Kind(models.TextChoices):
        EMAIL = "email", "E-mail"
        WEBHOOK = "webhook", "Webhook (Slack-compatible JSON)"

    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    target = models.CharField(
        max_length=500,
        help_text="The e-mail address, or the webhook URL (http/https on an allowed host).",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notification_channels",
        help_text="The user it belongs to (empty for a team channel).",
    )
    team = models.ForeignKey(
        Group,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notification_channels",
        help_text="The role group it belongs to (empty for a personal channel).",
    )
    active = models.BooleanField(default=True, help_text="Inactive channels receive nothing.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        permissions = [("manage_team_channels", "Can manage the notification channels of a team")]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner__isnull=False, team__isnull=True)
                | Q(owner__isnull=True, team__isnull=False),
                name="channel_owner_xor_team",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def events(self) -> list[str]:
        """The events it subscribes to (for pages; code reads Subscription)."""
        return sorted(sub.event for sub in self.subscriptions.all())

    @property
    def target_display(self) -> str:
        """The target as pages show it: a webhook URL's path often holds its secret (Slack's
        does), so only scheme and host are shown."""
        if self.kind == self.Kind.EMAIL:
            return self.target
        scheme, _, rest = self.target.partition("://")
        return f"{scheme}://{rest.split('/', 1)[0]}/…"


class Subscription(models.Model):
    """A channel hears about one event."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="subscriptions")
    event = models.CharField(max_length=40, choices=EVENTS)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["channel", "event"], name="subscription_unique")
        ]

    def __str__(self) -> str:
        return f"{self.channel_id}: {self.event}"


class Delivery(models.Model):
    """One alert sent (or being sent) to one channel. The same alert key is delivered once per
    channel and event, so a check that fires every hour does not repeat itself."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=40, choices=DELIVERY_EVENTS)
    key = models.CharField(max_length=200, help_text="The alert's key (what makes it one alert).")
    subject = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    link = models.CharField(max_length=500, blank=True, help_text="A path in the app, or empty.")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    error = models.TextField(
        blank=True, help_text="Why the last attempt failed (never the webhook URL)."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "event", "key"], name="delivery_once_per_channel"
            )
        ]
        indexes = [models.Index(fields=["channel", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.event} {self.key} to {self.channel_id} ({self.status})"
