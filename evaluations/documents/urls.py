from __future__ import annotations

from django.urls import URLPattern, path

from evaluations.documents import views

urlpatterns: list[URLPattern] = [
    path("submissions/<int:pk>/documents/status/", views.document_status,
         name="document_status"),
    path("submissions/<int:pk>/documents/<slug:kind>/", views.document_request,
         name="document_request"),
    path("documents/<int:pk>/download/", views.document_download, name="document_download"),
    path("campaigns/<int:year>/documents/", views.campaign_documents, name="campaign_documents"),
    path("campaigns/<int:year>/documents/archive/", views.archive_request,
         name="archive_request"),
    path("campaigns/<int:year>/documents/archive/<int:pk>/status/", views.archive_status,
         name="archive_status"),
    path("archives/<int:pk>/download/", views.archive_download, name="archive_download"),
]
