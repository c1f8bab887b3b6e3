from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from evaluations import selectors


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    submissions = selectors.submission_list_for_user(user=request.user)
    return render(request, "evaluations/home.html", {"submissions": submissions})


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """Database reachability; broker and worker checks arrive with the task issues."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = "ok"
    except Exception:  # noqa: BLE001 - report, never raise, from a health probe
        database = "error"
    status = 200 if database == "ok" else 503
    return JsonResponse({"database": database}, status=status)
