from django.apps import AppConfig


class ConstitutionsConfig(AppConfig):
    name = "constitutions"
