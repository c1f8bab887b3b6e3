"""The health endpoint: database, broker and worker, for a load balancer or an operator."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """Database, broker and worker status; 503 when the database or the broker is down.

    A worker that is down only delays PDFs and e-mails (tasks wait in the broker), so it is
    reported but does not fail the probe. Without a broker, tasks run in-process ("eager").
    """
    report = {"database": database_status(), **celery_status()}
    healthy = report["database"] == "ok" and report["broker"] in {"ok", "eager"}
    return JsonResponse(report, status=200 if healthy else 503)


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - report, never raise, from a health probe
        return "error"
    return "ok"


def celery_status() -> dict[str, str]:
    from config.celery import app

    if app.conf.task_always_eager:
        return {"broker": "eager", "worker": "eager"}
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception:  # noqa: BLE001
        return {"broker": "error", "worker": "unknown"}
    try:
        replies = app.control.ping(timeout=1.0)
    except Exception:  # noqa: BLE001
        replies = []
    return {"broker": "ok", "worker": "ok" if replies else "down"}


