"""A submitted concern is court-safe in the database itself.

Its text, author, subject kind and submission time can never be updated; a concern can only be
deleted by the retention job, which sets `ssp.retention` inside its own transaction.
"""

from django.db import migrations

FORWARD = """
CREATE FUNCTION cases_concern_court_safe() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF current_setting('ssp.retention', true) = 'on' THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'A submitted concern cannot be deleted'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.description IS DISTINCT FROM OLD.description
       OR NEW.author_id IS DISTINCT FROM OLD.author_id
       OR NEW.subject_kind IS DISTINCT FROM OLD.subject_kind
       OR NEW.submitted_at IS DISTINCT FROM OLD.submitted_at
       OR NEW.municipality_id IS DISTINCT FROM OLD.municipality_id THEN
        RAISE EXCEPTION 'The text, author and time of a submitted concern cannot change'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER cases_concern_court_safe
    BEFORE UPDATE OR DELETE ON cases_concern
    FOR EACH ROW EXECUTE FUNCTION cases_concern_court_safe();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS cases_concern_court_safe ON cases_concern;
DROP FUNCTION IF EXISTS cases_concern_court_safe();
"""


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
