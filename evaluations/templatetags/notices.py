"""`{% unread_count as n %}`: the signed-in user's unread notices, one COUNT query."""

from __future__ import annotations

from typing import Any

from django import template

from evaluations.notifications.selectors import notification_unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_count(context: template.Context) -> int:
    user: Any = context.get("user")
    if user is None:
        return 0
    return notification_unread_count(user=user)
