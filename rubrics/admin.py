from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from rubrics.models import Indicator, RubricVersion


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0
    fields = ("code", "name", "level", "weight", "rule", "params", "criteria")
    ordering = ("position",)

    def has_change_permission(self, request: HttpRequest, obj: RubricVersion | None = None) -> bool:
        # A used version is frozen (the model refuses too): show it read-only.
        return obj is None or not obj.is_frozen

    has_add_permission = has_change_permission
    has_delete_permission = has_change_permission


@admin.register(RubricVersion)
class RubricVersionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "year", "status", "rounding")
    list_filter = ("status", "year")
    inlines = [IndicatorInline]
