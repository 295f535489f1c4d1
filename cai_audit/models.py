from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """One thing somebody did, written once and never changed (append-only).

    `scope` groups the events a history page shows, such as "constitution:7"; `object_type` and
    `object_id` name the record the event is about.
    """

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        # The log never changes, so people who acted are deactivated, never deleted.
        on_delete=models.PROTECT,
        related_name="audit_events",
        help_text="Who did it; empty for the system (management commands, the demo loader).",
    )
    action = models.CharField(max_length=64, help_text="What happened, e.g. version.published.")
    scope = models.CharField(max_length=100, db_index=True, help_text="History the event is in.")
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    summary = models.CharField(max_length=500, help_text="One line for people.")
    payload = models.JSONField(default=dict, blank=True, help_text="Details for machines.")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["scope", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.summary}"
