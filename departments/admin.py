from __future__ import annotations

from django.contrib import admin

from departments.models import BudgetUnit, Department, Membership


class BudgetUnitInline(admin.TabularInline):
    model = BudgetUnit
    extra = 0


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "is_active")
    search_fields = ("name",)
    inlines = [BudgetUnitInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "department")
    list_filter = ("role",)
    search_fields = ("user__username", "department__name")
