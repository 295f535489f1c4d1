from django.contrib import admin

from cai_audit.admin import ReadOnlyAdmin

from .models import Constitution, ConstitutionVersion, Principle, ReleaseTag


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
