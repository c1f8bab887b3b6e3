from __future__ import annotations

from django.urls import URLPattern, path

from evaluations.review import views

urlpatterns: list[URLPattern] = [
    path("submissions/<int:pk>/submit/", views.submission_submit, name="submission_submit"),
    path("submissions/<int:pk>/review/", views.submission_review, name="submission_review"),
    path("submissions/<int:pk>/review/claims/<int:claim_id>/", views.claim_decide,
         name="claim_decide"),
    path("submissions/<int:pk>/review/indicators/<str:code>/", views.indicator_review,
         name="indicator_review"),
    path("submissions/<int:pk>/return/", views.submission_return, name="submission_return"),
    path("submissions/<int:pk>/approve/", views.submission_approve, name="submission_approve"),
    path("submissions/<int:pk>/reopen/", views.submission_reopen, name="submission_reopen"),
]
