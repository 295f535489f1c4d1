from django.apps import AppConfig


class RedteamConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "redteam"
    verbose_name = "Red-teaming"

    def ready(self) -> None:
        from cai_audit.leases import stale_work_register
        from labeling.kinds import register

        from .kinds import verdict_kind
        from .receivers import receivers_connect
        from .services.recovery import redteam_sweep

        # Every worker's sweep hands out again the work of a red-team worker that died.
        stale_work_register("red-team preparations, batches and matchups", redteam_sweep)
        # Publishing or tagging a constitution version re-runs the suites that follow it.
        receivers_connect()
        # The judge's verdicts are an AI-label kind: reviewers sample and audit them.
        register(verdict_kind())
