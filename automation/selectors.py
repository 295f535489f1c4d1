"""Reads for the automation pages and API."""

from django.db.models import QuerySet

from .models import AutomationRule, Check, DrawSchedule


def rules_list() -> QuerySet[AutomationRule]:
    return AutomationRule.objects.select_related("sample__queue").order_by("name", "id")


def schedules_list() -> QuerySet[DrawSchedule]:
    return DrawSchedule.objects.select_related("sample__queue").order_by("name", "id")


def checks_list() -> QuerySet[Check]:
    return Check.objects.select_related("queue").order_by("name", "id")
