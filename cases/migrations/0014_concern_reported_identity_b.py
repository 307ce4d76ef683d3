"""Each typed-in young person of a concern about several kept as typed (ConcernPerson.reported_*),
with no young person until the consultant settles who it is (cases.services.identity). As on
the concern (0013), the database refuses to change what the reporter typed."""

import django.db.models.deletion
from django.db import migrations, models

FORWARD = """
CREATE FUNCTION cases_concernperson_reported_fixed() RETURNS trigger AS $$
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

CREATE TRIGGER cases_concernperson_reported_fixed
    BEFORE UPDATE ON cases_concernperson
    FOR EACH ROW EXECUTE FUNCTION cases_concernperson_reported_fixed();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS cases_concernperson_reported_fixed ON cases_concernperson;
DROP FUNCTION IF EXISTS cases_concernperson_reported_fixed();
"""


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0013_concern_reported_identity'),
        ('forum', '0006_stand_in'),
    ]

    operations = [
        migrations.AddField(
            model_name='concernperson',
            name='reported_birth_date',
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='concernperson',
            name='reported_cpr_hash',
            field=models.CharField(blank=True, db_default='', default='', editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name='concernperson',
            name='reported_cpr_token',
            field=models.TextField(blank=True, db_default='', default='', editable=False),
        ),
        migrations.AddField(
            model_name='concernperson',
            name='reported_school',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='forum.unit'),
        ),
        migrations.AlterField(
            model_name='concernperson',
            name='young_person',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='concern_mentions', to='cases.youngperson'),
        ),
        migrations.AddConstraint(
            model_name='concernperson',
            constraint=models.CheckConstraint(condition=models.Q(('young_person__isnull', False), models.Q(('reported_name', ''), _negated=True), _connector='OR'), name='cases_concernperson_someone'),
        ),
        migrations.RunSQL(FORWARD, BACKWARD),
    ]
