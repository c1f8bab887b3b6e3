from __future__ import annotations

from django.urls import URLPattern, path

from evaluations.notifications import views as notification_views

urlpatterns: list[URLPattern] = [
    path("notifications/", notification_views.notifications, name="notifications"),
    path("notifications/read-all/", notification_views.notifications_read_all,
         name="notifications_read_all"),
]
