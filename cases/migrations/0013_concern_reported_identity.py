"""The young person as the reporter typed them, kept on the concern (cases.identity).

What the reporter typed is part of what they reported: like the text, the database refuses to
change it once submitted (a separate trigger, so the one of 0002 stays as it is). The school
may still go when the unit is deleted (SET NULL), so it is not protected.
"""

import django.db.models.deletion
from django.db import migrations, models


FORWARD = """
CREATE FUNCTION cases_concern_reported_identity_fixed() RETURNS trigger AS $$
BEGIN
    IF NEW.reported_name IS DISTINCT FROM OLD.reported_name
       OR NEW.reported_birth_date IS DISTINCT FROM OLD.reported_birth_date
       OR NEW.reported_cpr_token IS DISTINCT FROM OLD.reported_cpr_token
       OR NEW.reported_cpr_hash IS DISTINCT FROM OLD.reported_cpr_hash THEN
        RAISE EXCEPTION 'The young person as reported on a submitted concern cannot change'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER cases_concern_reported_identity_fixed
    BEFORE UPDATE ON cases_concern
    FOR EACH ROW EXECUTE FUNCTION cases_concern_reported_identity_fixed();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS cases_concern_reported_identity_fixed ON cases_concern;
DROP FUNCTION IF EXISTS cases_concern_reported_identity_fixed();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0012_escalation"),
        ("forum", "0005_municipality_age_bands"),
    ]

    operations = [
        migrations.AddField(
            model_name="concern",
            name="reported_birth_date",
            field=models.DateField(
                blank=True, null=True, verbose_name="fødselsdato som indberettet"
            ),
        ),
        migrations.AddField(
            model_name="concern",
            name="reported_cpr_hash",
            field=models.CharField(
                blank=True, db_default="", default="", editable=False, max_length=64
            ),
        ),
        migrations.AddField(
            model_name="concern",
            name="reported_cpr_token",
            field=models.TextField(blank=True, db_default="", default="", editable=False),
        ),
        migrations.AddField(
            model_name="concern",
            name="reported_name",
            field=models.CharField(
                blank=True,
                db_default="",
                default="",
                max_length=200,
                verbose_name="navn som indberettet",
            ),
        ),
        migrations.AddField(
            model_name="concern",
            name="reported_school",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="forum.unit",
                verbose_name="skole som indberettet",
            ),
        ),
        migrations.RunSQL(FORWARD, BACKWARD),
    ]
