from django.contrib import admin

from cai_audit.admin import ReadOnlyAdmin

from .models import CriticConfig, ItemSet, Judge, LabelingRun, LabelSource


@admin.register(ItemSet)
class ItemSetAdmin(ReadOnlyAdmin):
    list_display = ["name", "item_count", "created_at", "created_by"]


@admin.register(CriticConfig)
class CriticConfigAdmin(ReadOnlyAdmin):
    list_display = ["name", "backend", "model"]


@admin.register(LabelingRun)
class LabelingRunAdmin(ReadOnlyAdmin):
    list_display = [
        "id", "task", "origin", "status", "constitution_version", "item_set", "critic", "judge",
        "source",
    ]  # fmt: skip
    list_filter = ["task", "origin", "status"]


@admin.register(Judge)
class JudgeAdmin(ReadOnlyAdmin):
    list_display = ["name", "model", "version", "created_at"]
    search_fields = ["name", "model"]


@admin.register(LabelSource)
class LabelSourceAdmin(ReadOnlyAdmin):
    list_display = ["key", "name", "judge", "created_at"]
    search_fields = ["key", "name"]
