from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CaiAuditConfig(AppConfig):
    name = "cai_audit"
    verbose_name = "CAI Audit"

    def ready(self) -> None:
        from django.conf import settings

        from .local_state import sqlite_folders_ensure
        from .roles import roles_sync_after_migrate

        # The embedded default keeps its SQLite file under var/, which a fresh clone lacks.
        sqlite_folders_ensure(settings.DATABASES)

        # Groups need the permissions that post_migrate creates, so they are synced after it.
        post_migrate.connect(roles_sync_after_migrate, dispatch_uid="cai_audit.roles_sync")
