"""On PostgreSQL, the database itself refuses UPDATE and DELETE on the audit log."""

from __future__ import annotations

from typing import Any

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION jixiao_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'departments_auditevent is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER jixiao_audit_append_only
    BEFORE UPDATE OR DELETE ON departments_auditevent
    FOR EACH ROW EXECUTE FUNCTION jixiao_audit_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS jixiao_audit_append_only ON departments_auditevent;
DROP FUNCTION IF EXISTS jixiao_audit_append_only();
"""


def forwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("departments", "0002_audit")]
    operations = [migrations.RunPython(forwards, backwards)]
