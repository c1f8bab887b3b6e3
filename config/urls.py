from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from departments.forms import LoginForm
from evaluations import review_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("health/", views.health, name="health"),
    path("submissions/<int:pk>/", views.submission_detail, name="submission_detail"),
    path("submissions/<int:pk>/steps/<slug:key>/", views.submission_step, name="submission_step"),
    path("submissions/<int:pk>/steps/<slug:key>/preview/", views.submission_step_preview,
         name="submission_step_preview"),
    path("", include("evaluations.attachment_urls")),
    path("", include("evaluations.excel_urls")),
    path("", include("evaluations.reports.urls")),
    path("", include("evaluations.queue_urls")),
    path("", include("evaluations.notification_urls")),
    path("submissions/<int:pk>/submit/", review_views.submission_submit, name="submission_submit"),
    path("submissions/<int:pk>/review/", review_views.submission_review, name="submission_review"),
    path("submissions/<int:pk>/review/claims/<int:claim_id>/", review_views.claim_decide,
         name="claim_decide"),
    path("submissions/<int:pk>/review/indicators/<str:code>/", review_views.indicator_review,
         name="indicator_review"),
    path("submissions/<int:pk>/return/", review_views.submission_return,
         name="submission_return"),
    path("submissions/<int:pk>/approve/", review_views.submission_approve,
         name="submission_approve"),
    path("submissions/<int:pk>/reopen/", review_views.submission_reopen,
         name="submission_reopen"),
    path("django-admin/", admin.site.urls),
]
