from django.apps import AppConfig


class ProjectConfig(AppConfig):
    """Installed so that `manage.py load_demo` is found; holds no models."""

    name = "config"
    verbose_name = "Project"
