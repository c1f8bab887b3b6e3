"""Identity and audit rules of SECURITY.md: passwords, lockout, sessions, the audit chain."""

from __future__ import annotations

import datetime as dt
import time
from io import StringIO

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from departments.audit import audit_record, audit_verify
from departments.models import AuditEvent, LoginLock, Role
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("weak", ["short1A", "alllowercase1", "ALLUPPER123", "nodigits-here",
                                  "12345678901"])
def test_weak_passwords_are_refused(weak: str) -> None:
    with pytest.raises(ValidationError):
        validate_password(weak)


def test_a_strong_password_that_is_not_the_username_passes() -> None:
    validate_password("Jixiao@2023-test")


def login(client: Client, password: str) -> str:
    response = client.post(reverse("login"), {"username": "officer", "password": password})
    return response.content.decode() if response.status_code == 200 else "ok"


def test_the_sixth_try_is_refused_even_with_the_right_password_until_the_lock_ends(
    client: Client,
) -> None:
    make_user("officer", Role.REVIEWER)
    for _ in range(5):
        assert login(client, "wrong-Password1") != "ok"
    assert LoginLock.objects.get(username="officer").locked_until is not None
    assert "锁定 15 分钟" in login(client, PASSWORD)
    assert "_auth_user_id" not in client.session
    LoginLock.objects.update(locked_until=timezone.now() - dt.timedelta(seconds=1))
    assert login(client, PASSWORD) == "ok"
    assert not LoginLock.objects.exists()


def test_logins_failures_and_locks_are_audited(client: Client) -> None:
    make_user("officer", Role.REVIEWER)
    for _ in range(5):
        login(client, "wrong-Password1")
    login(client, PASSWORD)
    events = list(AuditEvent.objects.values_list("event", "outcome", "username"))
    assert events[:5] == [("login_failed", "failure", "officer")] * 5
    assert events[5] == ("login_locked", "locked", "officer")
    assert events[6] == ("login_refused_locked", "refused", "officer")
    assert AuditEvent.objects.filter(event="login_failed").first().ip == "127.0.0.1"  # type: ignore[union-attr]


def test_a_session_ends_twelve_hours_after_login_whatever_the_activity(client: Client) -> None:
    make_user("officer", Role.REVIEWER)
    assert login(client, PASSWORD) == "ok"
    assert client.get(reverse("home")).status_code == 200
    session = client.session
    session["login_at"] = time.time() - 13 * 3600
    session.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_audit_chain_verifies_and_an_altered_row_is_detected() -> None:
    for n in range(3):
        audit_record(event="test", username=f"u{n}", n=n)
    out = StringIO()
    call_command("verify_audit", stdout=out)
    assert "共 3 条记录，哈希链一致" in out.getvalue()
    middle = AuditEvent.objects.order_by("id")[1]
    with pytest.raises(PermissionError):
        middle.save()
    with pytest.raises(PermissionError):
        middle.delete()
    tamper(middle.pk)
    check = audit_verify()
    assert check.broken_at == middle.pk
    with pytest.raises(SystemExit):
        call_command("verify_audit", stdout=StringIO(), stderr=StringIO())


def tamper(pk: int) -> None:
    """Change a row behind the application's back (a DBA with the trigger disabled)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE departments_auditevent DISABLE TRIGGER "
                           "jixiao_audit_append_only")
        cursor.execute("UPDATE departments_auditevent SET username = 'mallory' WHERE id = %s",
                       [pk])
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE departments_auditevent ENABLE TRIGGER "
                           "jixiao_audit_append_only")


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="the append-only trigger is PostgreSQL's; CI runs this on PostgreSQL")
def test_postgresql_refuses_updates_and_deletes_of_audit_rows() -> None:
    row = audit_record(event="test")
    for sql in ("UPDATE departments_auditevent SET event = 'x' WHERE id = %s",
                "DELETE FROM departments_auditevent WHERE id = %s"):
        with pytest.raises(Exception, match="append-only"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql, [row.pk])
    assert AuditEvent.objects.get(pk=row.pk).event == "test"


def test_a_password_change_ends_the_users_other_sessions(client: Client) -> None:
    user = make_user("officer", Role.REVIEWER)
    other = Client()
    assert login(client, PASSWORD) == "ok" and other.login(username="officer", password=PASSWORD)
    user.set_password("Another#Pass2024")
    user.save()
    response = other.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
