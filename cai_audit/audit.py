"""The audit log: every service that changes something records what, who and when here."""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import models

from .models import AuditEvent
from .roles import user_or_none


def audit_record(
    *,
    actor: AbstractBaseUser | None,
    action: str,
    target: models.Model,
    scope: str,
    summary: str,
    payload: dict[str, Any] | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=user_or_none(actor),
        action=action,
        scope=scope,
        object_type=target._meta.label,
        object_id=str(target.pk),
        summary=summary[:500],
        payload=payload or {},
    )


def audit_events_for_scope(*, scope: str) -> models.QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(scope=scope).select_related("actor")
