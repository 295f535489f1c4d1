from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Human review"

    def ready(self) -> None:
        from cai_audit.leases import stale_work_register

        from .hooks import hooks_register
        from .services.draws import sample_draw_jobs_requeue_lost

        # The principle page shows the reviewers' flags through constitutions' panel registry.
        hooks_register()
        # Every worker's sweep queues again the active draws of a worker that died.
        stale_work_register("active sampling draws", sample_draw_jobs_requeue_lost)
