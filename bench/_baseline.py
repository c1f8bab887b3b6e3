"""The baseline page for the request benches: the least a logged-in Django page costs here.

`baseline_urlconf()` builds a throw-away URLconf (a module object, never imported from disk)
with one tiny view, `HttpResponse("ok")` behind `login_required`, at BASELINE_PATH, followed
by the project's own URLs. Benches run under `override_settings(ROOT_URLCONF=...)` and time it
with the same test client, middleware, session and database as the pages they measure.
"""

from __future__ import annotations

import types

BASELINE_PATH = "/__bench__/baseline/"


def baseline_urlconf() -> types.ModuleType:
    from django.contrib.auth.decorators import login_required
    from django.http import HttpRequest, HttpResponse
    from django.urls import include, path

    @login_required
    def baseline(request: HttpRequest) -> HttpResponse:
        return HttpResponse("ok")

    module = types.ModuleType("bench_baseline_urls")
    module.urlpatterns = [  # type: ignore[attr-defined]
        path(BASELINE_PATH.strip("/") + "/", baseline, name="bench_baseline"),
        path("", include("config.urls")),
    ]
    return module
