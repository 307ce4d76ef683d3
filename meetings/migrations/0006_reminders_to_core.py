from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('meetings', '0005_agenda_attachments'),
    ]

    # The models moved to the core app (ssp.Reminder, ssp.ReminderSettings) with their tables:
    # only Django's idea of which app owns them changes, no row is touched.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
        migrations.RemoveField(
            model_name='remindersettings',
            name='user',
        ),
        migrations.DeleteModel(
            name='Reminder',
        ),
        migrations.DeleteModel(
            name='ReminderSettings',
        ),
            ],
            database_operations=[],
        ),
    ]
