from django.contrib import admin

from cai_audit.admin import ReadOnlyAdmin

from .models import Case, Matchup, Run, Suite


@admin.register(Suite)
class SuiteAdmin(ReadOnlyAdmin):
    list_display = ["name", "run_on_publish", "run_on_release", "created_at", "created_by"]


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ["external_id", "suite", "category", "kind", "operator"]
    list_filter = ["kind", "operator", "suite"]
    search_fields = ["external_id", "category"]


@admin.register(Run)
class RunAdmin(ReadOnlyAdmin):
    list_display = ["id", "suite", "status", "trigger", "target", "judge", "created_at"]
    list_filter = ["status", "trigger"]


@admin.register(Matchup)
class MatchupAdmin(ReadOnlyAdmin):
    list_display = ["id", "run_x", "run_y", "status", "created_at"]
    list_filter = ["status"]
