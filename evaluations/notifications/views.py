"""The user's in-app notices (站内通知): the list, and marking them all read."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from evaluations.notifications.selectors import (
    notice_link,
    notification_list_for_user,
    notification_unread_count,
)
from evaluations.notifications.services import notifications_mark_read

PER_PAGE = 30


@login_required
@require_GET
def notifications(request: HttpRequest) -> HttpResponse:
    """Newest first, only the user's own; unread ones are shown in bold."""
    page = Paginator(notification_list_for_user(user=request.user), PER_PAGE).get_page(
        request.GET.get("page"))
    return render(request, "evaluations/notifications/notifications.html", {
        "page": page, "rows": [(notice, notice_link(notice)) for notice in page],
        "unread": notification_unread_count(user=request.user),
    })


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    count = notifications_mark_read(user=request.user)
    messages.success(request, _("已将 %(n)d 条通知标为已读。") % {"n": count})
    return redirect("notifications")
