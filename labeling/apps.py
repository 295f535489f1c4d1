from django.apps import AppConfig


class LabelingConfig(AppConfig):
    name = "labeling"

    def ready(self) -> None:
        from cai_audit.leases import stale_work_register

        from .services.recovery import labeling_sweep

        # Every worker's sweep hands out again the batches of a worker that died.
        stale_work_register("labeling batches", labeling_sweep)
