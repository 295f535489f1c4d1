from django.apps import AppConfig


class AutomationConfig(AppConfig):
    """Continuous audit: rules that send arriving labels to review, scheduled draws and checks."""

    name = "automation"
