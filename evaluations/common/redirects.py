"""Where a POSTed form sends the user back to: its `next` when it is a page of this site."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


def back_to(request: HttpRequest, *, submission_pk: int, step: str) -> str:
    """`next` (posted, or in the query of a poll) if it is ours, else a step of the submission."""
    target = (request.POST if request.method == "POST" else request.GET).get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return reverse("submission_step", kwargs={"pk": submission_pk, "key": step})
