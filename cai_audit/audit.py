"""The audit log: every service that changes something records what, who and when here."""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import models

from .models import AuditEvent


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
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        scope=scope,
        object_type=target._meta.label,
        object_id=str(target.pk),
        summary=summary[:500],
        payload=payload or {},
    )


def audit_events_for_scope(*, scope: str) -> models.QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(scope=scope).select_related("actor")
