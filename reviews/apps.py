from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Human review"

    def ready(self) -> None:
        from .hooks import hooks_register

        # The principle page shows the reviewers' flags through constitutions' panel registry.
        hooks_register()
