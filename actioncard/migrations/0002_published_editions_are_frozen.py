"""A published ActionCard never changes, in the database as well as in Python.

Triggers refuse any change to a published or superseded edition other than the one step the
product takes, published → superseded when a correction is published, and refuse deleting it
or touching its guide.
"""

from django.db import migrations

FORWARD = """
CREATE FUNCTION actioncard_edition_frozen() RETURNS trigger AS $$
BEGIN
    IF OLD.status NOT IN ('published', 'superseded') THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    IF TG_OP = 'UPDATE'
       AND OLD.status = 'published' AND NEW.status = 'superseded'
       AND (to_jsonb(NEW) - 'status') = (to_jsonb(OLD) - 'status') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'actioncard edition % is published and cannot change: % refused', OLD.id, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER actioncard_edition_frozen
    BEFORE UPDATE OR DELETE ON actioncard_edition
    FOR EACH ROW EXECUTE FUNCTION actioncard_edition_frozen();

CREATE FUNCTION actioncard_guide_frozen() RETURNS trigger AS $$
DECLARE
    edition_status text;
BEGIN
    SELECT status INTO edition_status FROM actioncard_edition
        WHERE id = CASE WHEN TG_OP = 'INSERT' THEN NEW.edition_id ELSE OLD.edition_id END;
    IF edition_status IN ('published', 'superseded') THEN
        RAISE EXCEPTION 'the guide of a published actioncard edition cannot change: % refused', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER actioncard_guide_frozen
    BEFORE INSERT OR UPDATE OR DELETE ON actioncard_guideentry
    FOR EACH ROW EXECUTE FUNCTION actioncard_guide_frozen();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS actioncard_guide_frozen ON actioncard_guideentry;
DROP FUNCTION IF EXISTS actioncard_guide_frozen();
DROP TRIGGER IF EXISTS actioncard_edition_frozen ON actioncard_edition;
DROP FUNCTION IF EXISTS actioncard_edition_frozen();
"""


class Migration(migrations.Migration):
    dependencies = [("actioncard", "0001_editions")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
