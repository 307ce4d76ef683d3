"""An action may also be given a responsible person, once, while it has none (0008 allowed only
marking it done).

An action added without a responsible person is listed for the case's coordinator until they
name one (`services.action_assign`). Naming one is the only other change the record allows:
`responsible_id` from empty to a person, everything else as it was and the action not done.
Who was responsible is never rewritten, and the action still cannot be deleted.
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION cases_action_court_safe() RETURNS trigger AS $$
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
    -- Marked done: done_on from empty to a date, nothing else.
    IF OLD.done_on IS NULL AND NEW.done_on IS NOT NULL
       AND (to_jsonb(NEW) - 'done_on') IS NOT DISTINCT FROM (to_jsonb(OLD) - 'done_on') THEN
        RETURN NEW;
    END IF;
    -- Given a responsible person: responsible_id from empty to a person, not done, nothing else.
    IF OLD.done_on IS NULL AND OLD.responsible_id IS NULL AND NEW.responsible_id IS NOT NULL
       AND (to_jsonb(NEW) - 'responsible_id') IS NOT DISTINCT FROM (to_jsonb(OLD) - 'responsible_id') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'An action can only be marked done, or given a responsible person once'
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

# 0008's function, for going back.
PREVIOUS = """
CREATE OR REPLACE FUNCTION cases_action_court_safe() RETURNS trigger AS $$
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
"""


class Migration(migrations.Migration):
    dependencies = [("cases", "0008_notes_actions_court_safe")]

    operations = [migrations.RunSQL(FUNCTION, PREVIOUS)]
