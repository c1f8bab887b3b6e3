"""Notices of workflow events: an in-app Notification and a Chinese e-mail per recipient.

Queued by the workflow services on commit (never inside an open transaction); the tasks take
primary keys only. Filled in by the notifications feature.
"""

from __future__ import annotations

from celery import shared_task


@shared_task(acks_late=True, time_limit=60, soft_time_limit=50)
def notify_transition_task(transition_id: int) -> int:
    """Tell the people concerned about one transition; returns how many were notified."""
    return 0
