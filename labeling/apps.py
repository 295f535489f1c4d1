from django.apps import AppConfig


class LabelingConfig(AppConfig):
    name = "labeling"

    def ready(self) -> None:
        from cai_audit.leases import stale_work_register

        from .kinds import register
        from .kinds.labeling_kinds import critique_kind, preference_kind, safety_kind
        from .services.recovery import labeling_sweep

        # Every worker's sweep hands out again the batches of a worker that died.
        stale_work_register("labeling batches", labeling_sweep)
        # The AI-label kinds this app makes: sampled, reviewed and counted through the registry.
        register(preference_kind())
        register(critique_kind())
        register(safety_kind())
