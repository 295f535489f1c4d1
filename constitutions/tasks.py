"""Scheduled work of the constitutions app (CELERY_BEAT_SCHEDULE in cai_audit/settings.py)."""

from celery import shared_task

from .review_reminders import constitution_reviews_due_alert


@shared_task
def constitution_reviews_due() -> int:
    """Daily: alert about each constitution past its review date. Returns how many."""
    return len(constitution_reviews_due_alert())
