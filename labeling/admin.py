from django.contrib import admin

from cai_audit.admin import ReadOnlyAdmin

from .models import CriticConfig, ItemSet, LabelingRun


@admin.register(ItemSet)
class ItemSetAdmin(ReadOnlyAdmin):
    list_display = ["name", "item_count", "created_at", "created_by"]


@admin.register(CriticConfig)
class CriticConfigAdmin(ReadOnlyAdmin):
    list_display = ["name", "backend", "model"]


@admin.register(LabelingRun)
class LabelingRunAdmin(ReadOnlyAdmin):
    list_display = ["id", "task", "status", "constitution_version", "item_set", "critic"]
    list_filter = ["task", "status"]
