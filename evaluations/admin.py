from __future__ import annotations

from django.contrib import admin

from evaluations.models import Campaign


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ("year", "name", "rubric", "deadline")
