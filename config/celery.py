from __future__ import annotations

import os

from celery import Celery
from celery.schedules import crontab
from celery.signals import worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("jixiao")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Tasks live in the rooms of evaluations (each task has an explicit name=, see ARCHITECTURE.md).
app.autodiscover_tasks(["evaluations.documents", "evaluations.notifications"])

# Run by `celery -A config beat` (docker-compose `beat`), in CELERY_TIMEZONE (Asia/Shanghai).
app.conf.beat_schedule = {
    "deadline-reminders": {
        "task": "evaluations.notifications.send_deadline_reminders_task",
        "schedule": crontab(hour=9, minute=0),
    },
}


@worker_init.connect
def warn_about_slow_pdf_fonts(**kwargs: object) -> None:
    """A worker renders the PDFs: say loudly when font subsetting would be slow."""
    from evaluations.documents.render import warn_if_slow_subsetting

    warn_if_slow_subsetting()


@app.task(name="evaluations.tasks.ping_task", acks_late=True, time_limit=30, soft_time_limit=20,
          ignore_result=False)
def ping_task() -> str:
    """Round trip through broker, worker and result backend (used by the worker tests)."""
    return "pong"
