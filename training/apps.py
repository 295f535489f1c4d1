from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "training"

    def ready(self) -> None:
        from cai_audit.leases import stale_work_register

        from .services.exports import snapshot_exports_requeue_lost
        from .services.packages import model_packages_requeue_lost
        from .services.recovery import training_sweep

        # Every worker's sweep queues again the jobs of a training worker that died.
        stale_work_register("training jobs", training_sweep)
        stale_work_register("snapshot exports", snapshot_exports_requeue_lost)
        stale_work_register("trained model packages", model_packages_requeue_lost)
