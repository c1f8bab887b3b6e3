"""Every URL of evaluations: one include per room (config/urls.py includes only this)."""

from __future__ import annotations

from django.urls import URLResolver, include, path

urlpatterns: list[URLResolver] = [
    path("", include(f"evaluations.{room}.urls"))
    for room in ("steps", "review", "campaigns", "documents", "excel", "attachments",
                 "notifications")
]
