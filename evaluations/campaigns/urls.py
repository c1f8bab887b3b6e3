from __future__ import annotations

from django.urls import URLPattern, path

from evaluations.campaigns import views as queue_views

urlpatterns: list[URLPattern] = [
    path("review/", queue_views.review_home, name="review_home"),
    path("review/dashboard/", queue_views.review_dashboard_home, name="review_dashboard_home"),
    path("campaigns/<int:year>/queue/", queue_views.campaign_queue, name="campaign_queue"),
    path("campaigns/<int:year>/queue.xlsx", queue_views.campaign_queue_export,
         name="campaign_queue_export"),
    path("campaigns/<int:year>/dashboard/", queue_views.campaign_dashboard,
         name="campaign_dashboard"),
]
