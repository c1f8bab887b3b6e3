from __future__ import annotations

from django.urls import URLPattern, path

from evaluations.excel import views as excel_views

urlpatterns: list[URLPattern] = [
    path("submissions/<int:pk>/excel/template/", excel_views.excel_template,
         name="submission_excel_template"),
    path("submissions/<int:pk>/excel/export/", excel_views.excel_export,
         name="submission_excel_export"),
    path("submissions/<int:pk>/excel/import/", excel_views.excel_import,
         name="submission_excel_import"),
]
