"""Make the audit log append-only in the database itself (PostgreSQL), not only in the app."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION cai_audit_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING MESSAGE = 'cai_audit_auditevent is append-only: ' || TG_OP || ' refused';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER cai_audit_event_append_only
    BEFORE UPDATE OR DELETE ON cai_audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION cai_audit_event_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS cai_audit_event_append_only ON cai_audit_auditevent;
DROP FUNCTION IF EXISTS cai_audit_event_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("cai_audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
