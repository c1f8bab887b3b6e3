from __future__ import annotations

import time
from collections.abc import Callable

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

ABSOLUTE_SECONDS = 12 * 3600


class AbsoluteSessionLimit:
    """Ends a session 12 hours after login whatever the activity (idle limit: 30 minutes)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            started = request.session.setdefault("login_at", int(time.time()))
            if time.time() - started > ABSOLUTE_SECONDS:
                logout(request)
        return self.get_response(request)
