from django.apps import AppConfig


class RedteamConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "redteam"
    verbose_name = "Red-teaming"
