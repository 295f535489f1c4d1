from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """Delivers alerts (cai_audit.alerts) by e-mail and webhook to those who subscribed."""

    name = "notifications"
