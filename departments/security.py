"""Identity rules of SECURITY.md: password composition, per-username lockout, login auditing."""

from __future__ import annotations

import datetime as dt
import string
from typing import Any

from django.contrib.auth import user_logged_in, user_logged_out, user_login_failed
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from departments.audit import audit_record
from departments.models import LoginLock

MAX_FAILURES = 5
LOCK_MINUTES = 15


class CompositionValidator:
    """At least three of: upper case, lower case, digits, symbols; not the username."""

    def validate(self, password: str, user: Any = None) -> None:
        classes = [any(c.isupper() for c in password), any(c.islower() for c in password),
                   any(c.isdigit() for c in password),
                   any(c in string.punctuation or not c.isalnum() for c in password)]
        if sum(classes) < 3:
            raise ValidationError(_("密码须同时包含大写字母、小写字母、数字、符号中的至少三类。"),
                                  code="password_composition")
        username = getattr(user, "username", "") if user is not None else ""
        if username and password.lower() == username.lower():
            raise ValidationError(_("密码不能与用户名相同。"), code="password_is_username")

    def get_help_text(self) -> str:
        return _("密码至少 8 位，且包含大写字母、小写字母、数字、符号中的至少三类。")


def is_locked(username: str, now: dt.datetime) -> bool:
    lock = LoginLock.objects.filter(username=username).first()
    return bool(lock and lock.locked_until and lock.locked_until > now)


class LockoutBackend(ModelBackend):
    """Refuses a locked username even with the right password (the 6th try after 5 failures)."""

    def authenticate(self, request: HttpRequest | None, username: str | None = None,
                     password: str | None = None, **kwargs: Any) -> Any:
        if username and is_locked(username, timezone.now()):
            audit_record(event="login_refused_locked", request=request, username=username,
                         outcome="refused")
            raise PermissionDenied(_("账号已因连续登录失败被锁定 15 分钟，请稍后再试。"))
        return super().authenticate(request, username=username, password=password, **kwargs)


@transaction.atomic
def record_failure(username: str, now: dt.datetime) -> bool:
    """Count a failed login; returns True when this failure locks the username."""
    lock, _created = LoginLock.objects.select_for_update().get_or_create(username=username)
    if lock.locked_until and lock.locked_until <= now:
        lock.failures = 0  # the previous lock has ended: start counting again
        lock.locked_until = None
    lock.failures += 1
    locking = lock.failures >= MAX_FAILURES and lock.locked_until is None
    if locking:
        lock.locked_until = now + dt.timedelta(minutes=LOCK_MINUTES)
    lock.save()
    return locking


@receiver(user_login_failed)
def on_login_failed(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None,
                    **kwargs: Any) -> None:
    username = str(credentials.get("username", ""))[:150]
    if not username or is_locked(username, timezone.now()):
        return
    locked = record_failure(username, timezone.now())
    audit_record(event="login_failed", request=request, username=username, outcome="failure")
    if locked:
        audit_record(event="login_locked", request=request, username=username,
                     outcome="locked", minutes=LOCK_MINUTES)


@receiver(user_logged_in)
def on_logged_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    LoginLock.objects.filter(username=user.get_username()).delete()
    audit_record(event="login", user=user, request=request)


@receiver(user_logged_out)
def on_logged_out(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(event="logout", user=user, request=request)
