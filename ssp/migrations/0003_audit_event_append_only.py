"""The audit log is append-only in the database, not only in Python.

A trigger refuses every UPDATE and every DELETE, except a DELETE of rows older than the legal
minimum (183 days) inside a transaction where the retention job has set `ssp.audit_purge`.
"""

from django.db import migrations

FORWARD = """
CREATE FUNCTION ssp_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE'
       AND current_setting('ssp.audit_purge', true) = 'on'
       AND OLD.at < now() - interval '183 days' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'ssp_auditevent is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER ssp_auditevent_append_only
    BEFORE UPDATE OR DELETE ON ssp_auditevent
    FOR EACH ROW EXECUTE FUNCTION ssp_auditevent_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS ssp_auditevent_append_only ON ssp_auditevent;
DROP FUNCTION IF EXISTS ssp_auditevent_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("ssp", "0002_audit_event")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
