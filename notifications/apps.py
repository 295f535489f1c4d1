from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """Delivers alerts (cai_audit.alerts) by e-mail and webhook to those who subscribed."""

    name = "notifications"

    def ready(self) -> None:
        from cai_audit.alerts import alert

        from .receivers import alert_received

        alert.connect(alert_received, dispatch_uid="notifications.alert_received")
