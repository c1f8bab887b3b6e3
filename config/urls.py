from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from evaluations import views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("health/", views.health, name="health"),
    path("submissions/<int:pk>/", views.submission_detail, name="submission_detail"),
    path("submissions/<int:pk>/steps/<slug:key>/", views.submission_step, name="submission_step"),
    path("submissions/<int:pk>/steps/<slug:key>/preview/", views.submission_step_preview,
         name="submission_step_preview"),
    path("", include("evaluations.attachment_urls")),
    path("", include("evaluations.excel_urls")),
    path("", include("evaluations.reports.urls")),
    path("django-admin/", admin.site.urls),
]
