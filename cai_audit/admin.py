from django.contrib import admin

from .models import AuditEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    """Admins may look; changes go through the app's services, which check rules and audit."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The audit log is append-only: admins can read and search it, nothing more."""

    list_display = ["created_at", "actor", "action", "summary", "scope"]
    list_filter = ["action"]
    search_fields = ["summary", "scope", "object_id"]
