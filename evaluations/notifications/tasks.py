"""Celery tasks of notifications: take primary keys, call a service. Names are explicit, so
moving a module never orphans a queued task or the beat schedule."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from evaluations.notifications.services import deadline_reminders_send, transition_notify


@shared_task(name="evaluations.notifications.notify_transition_task", acks_late=True,
             time_limit=60, soft_time_limit=50)
def notify_transition_task(transition_id: int) -> int:
    """Tell the people concerned about one transition; returns how many were notified."""
    return transition_notify(transition_id=transition_id)


@shared_task(name="evaluations.notifications.send_deadline_reminders_task", acks_late=True,
             time_limit=600, soft_time_limit=540)
def send_deadline_reminders_task() -> int:
    """Celery beat, daily: remind officers of unsubmitted work; returns the notices created."""
    return deadline_reminders_send(now=timezone.now())
