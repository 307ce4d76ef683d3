"""Notes and actions are court-safe in the database itself, like concerns (0002).

A note can never be changed or deleted: a mistake is corrected by a new note that points to it
(`Note.corrects`). An action may change in one way only, being marked done (`done_on` from
empty to a date, nothing else); it cannot be deleted. Retention and erasure delete both inside
their own transaction after `SET LOCAL ssp.retention = 'on'`.

The action's rule compares the whole row except `done_on` (as JSON), so a column added later
is protected without touching this trigger.
"""

from django.db import migrations

FORWARD = """
CREATE FUNCTION cases_note_court_safe() RETURNS trigger AS $$
BEGIN
    IF current_setting('ssp.retention', true) = 'on' THEN
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'A note cannot be deleted'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RAISE EXCEPTION 'A note cannot be changed; correct it with a new note'
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER cases_note_court_safe
    BEFORE UPDATE OR DELETE ON cases_note
    FOR EACH ROW EXECUTE FUNCTION cases_note_court_safe();

CREATE FUNCTION cases_action_court_safe() RETURNS trigger AS $$
BEGIN
    IF current_setting('ssp.retention', true) = 'on' THEN
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'An action cannot be deleted'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF OLD.done_on IS NOT NULL OR NEW.done_on IS NULL
       OR (to_jsonb(NEW) - 'done_on') IS DISTINCT FROM (to_jsonb(OLD) - 'done_on') THEN
        RAISE EXCEPTION 'An action can only be marked done'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER cases_action_court_safe
    BEFORE UPDATE OR DELETE ON cases_action
    FOR EACH ROW EXECUTE FUNCTION cases_action_court_safe();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS cases_note_court_safe ON cases_note;
DROP FUNCTION IF EXISTS cases_note_court_safe();
DROP TRIGGER IF EXISTS cases_action_court_safe ON cases_action;
DROP FUNCTION IF EXISTS cases_action_court_safe();
"""


class Migration(migrations.Migration):
    dependencies = [("cases", "0007_retention")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
