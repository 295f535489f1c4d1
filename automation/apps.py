from django.apps import AppConfig


class AutomationConfig(AppConfig):
    """Continuous audit: rules that send arriving labels to review, scheduled draws and checks."""

    name = "automation"

    def ready(self) -> None:
        from labeling.signals import labels_arrived

        from . import tasks  # noqa: F401 - beat calls them by name
        from .receivers import labels_arrived_apply_rules

        labels_arrived.connect(labels_arrived_apply_rules, dispatch_uid="automation.rules")
