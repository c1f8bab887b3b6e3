from __future__ import annotations

from django.urls import URLPattern, path

from evaluations.attachments import views as attachment_views

urlpatterns: list[URLPattern] = [
    path("submissions/<int:pk>/attachments/", attachment_views.upload, name="attachment_upload"),
    path("attachments/<int:pk>/", attachment_views.download, name="attachment_download"),
    path("attachments/<int:pk>/delete/", attachment_views.delete, name="attachment_delete"),
]
