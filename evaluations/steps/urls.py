from __future__ import annotations

from django.urls import URLPattern, path

from evaluations.steps import views

urlpatterns: list[URLPattern] = [
    path("", views.home, name="home"),
    path("submissions/<int:pk>/", views.submission_detail, name="submission_detail"),
    path("submissions/<int:pk>/steps/<slug:key>/", views.submission_step, name="submission_step"),
    path("submissions/<int:pk>/steps/<slug:key>/preview/", views.submission_step_preview,
         name="submission_step_preview"),
]
