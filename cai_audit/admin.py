from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit log is append-only: admins can read and search it, nothing more."""

    list_display = ["created_at", "actor", "action", "summary", "scope"]
    list_filter = ["action"]
    search_fields = ["summary", "scope", "object_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
