"""The audit log: append one hash-chained row per security-relevant event (SECURITY.md).

`audit_record` is called by services and views; it never raises into the caller's flow for a
reason of its own except a database error. Rows are chained: hash = SHA-256(prev_hash +
canonical row), and the chain is appended under a lock so two writers cannot fork it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from departments.access import roles_of as role_set
from departments.models import AuditEvent

GENESIS = "0" * 64
# The request being served, so services can audit without passing it around.
current_request: ContextVar[HttpRequest | None] = ContextVar("audit_request", default=None)


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> Any:
        token = current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)


def row_payload(event: AuditEvent) -> bytes:
    fields = {
        "at": event.at.isoformat(), "user": event.user_id, "username": event.username,
        "roles": event.roles, "ip": event.ip, "event": event.event,
        "object_type": event.object_type, "object_id": event.object_id,
        "outcome": event.outcome, "details": event.details,
    }
    return json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      default=str).encode("utf-8")


def chain_hash(prev_hash: str, event: AuditEvent) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + row_payload(event)).hexdigest()


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def roles_of(user: AbstractBaseUser | AnonymousUser | None) -> str:
    return "" if user is None else ",".join(sorted(role_set(user)))


@transaction.atomic
def audit_record(*, event: str, user: AbstractBaseUser | AnonymousUser | None = None,
                 request: HttpRequest | None = None, obj: Any = None, outcome: str = "success",
                 username: str = "", **details: Any) -> AuditEvent:
    """Append one audit row. `obj` gives object_type/object_id; details must be JSON-able.

    Without an explicit request, the one being served (if any) gives the user and IP.
    """
    request = request or current_request.get()
    if user is None and request is not None:
        user = getattr(request, "user", None)
    known = user if user is not None and user.is_authenticated else None
    last = AuditEvent.objects.select_for_update().order_by("-id").first()
    row = AuditEvent(
        # By id: AuditEvent.user is typed as auth.User, callers pass any AbstractBaseUser.
        at=timezone.now(), user_id=known.pk if known else None,
        username=username or (known.get_username() if known else ""),
        roles=roles_of(known), ip=client_ip(request), event=event,
        object_type=type(obj).__name__ if obj is not None else "",
        object_id=str(getattr(obj, "pk", "") or "") if obj is not None else "",
        outcome=outcome, details=json.loads(json.dumps(details, default=str)),
        prev_hash=last.hash if last else GENESIS,
    )
    row.hash = chain_hash(row.prev_hash, row)
    row.save()
    return row


@dataclass(frozen=True)
class ChainCheck:
    rows: int
    broken_at: int | None  # the id of the first row whose hash or link does not match


def audit_verify() -> ChainCheck:
    """Recompute the chain from the first row; report the first row that does not match."""
    previous, count = GENESIS, 0
    for row in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        count += 1
        if row.prev_hash != previous or chain_hash(previous, row) != row.hash:
            return ChainCheck(rows=count, broken_at=row.pk)
        previous = row.hash
    return ChainCheck(rows=count, broken_at=None)
