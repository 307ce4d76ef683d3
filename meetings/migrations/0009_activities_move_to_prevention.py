# The year wheel's activities now belong to the prevention app (prevention 0001 took over the
# model and its rows), and the SSP-Følgegruppe's approvals of the activity plan became annual
# plans there (prevention 0002 copied them); both leave meetings.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('meetings', '0008_agenda_item_case_erasable'),
        ('prevention', '0002_activities_for_every_body'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='Activity')],
            database_operations=[],
        ),
        migrations.DeleteModel(name='ActivityPlanApproval'),
    ]
