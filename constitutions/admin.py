from django.contrib import admin

from .models import Constitution, ConstitutionVersion, Principle, ReleaseTag


class ReadOnlyAdmin(admin.ModelAdmin):
    """Admins may look; changes go through the app, which checks immutability and audits."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Constitution)
class ConstitutionAdmin(ReadOnlyAdmin):
    list_display = ["name", "review_cadence_days", "last_reviewed_at", "created_at"]
    search_fields = ["name"]


@admin.register(ConstitutionVersion)
class ConstitutionVersionAdmin(ReadOnlyAdmin):
    list_display = ["constitution", "number", "status", "published_at"]
    list_filter = ["status", "constitution"]


@admin.register(Principle)
class PrincipleAdmin(ReadOnlyAdmin):
    list_display = ["code", "locale", "title", "category", "priority", "version"]
    list_filter = ["category", "locale"]
    search_fields = ["code", "title"]


@admin.register(ReleaseTag)
class ReleaseTagAdmin(ReadOnlyAdmin):
    list_display = ["name", "version", "created_at"]
