import datetime
import django.contrib.postgres.fields
import django.db.models.deletion
import ssp.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('ssp', '0005_outgoing_email'),
        # The tables exist (created by the meetings app) and meetings has let go of them.
        ('meetings', '0006_reminders_to_core'),
    ]

    # The reminder models moved here from the meetings app, keeping their tables.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
        migrations.CreateModel(
            name='ReminderSettings',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('meeting_offsets', django.contrib.postgres.fields.ArrayField(base_field=models.PositiveIntegerField(), default=ssp.models.default_meeting_offsets, size=5, verbose_name='påmindelser før møder (minutter)')),
                ('quiet_from', models.TimeField(default=datetime.time(18, 0), verbose_name='stille fra')),
                ('quiet_until', models.TimeField(default=datetime.time(7, 0), verbose_name='stille til')),
                ('daily_digest', models.BooleanField(default=False, verbose_name='saml påmindelser i én daglig e-mail')),
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='reminder_settings', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'indstillinger for påmindelser',
                'verbose_name_plural': 'indstillinger for påmindelser',
                'db_table': 'meetings_remindersettings',
            },
        ),
        migrations.CreateModel(
            name='Reminder',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(max_length=20)),
                ('object_type', models.CharField(max_length=40)),
                ('object_id', models.PositiveBigIntegerField()),
                ('due_at', models.DateTimeField()),
                ('send_at', models.DateTimeField()),
                ('status', models.CharField(choices=[('pending', 'Venter'), ('queued', 'Sendes'), ('sent', 'Sendt'), ('cancelled', 'Annulleret')], default='pending', max_length=10)),
                ('queued_at', models.DateTimeField(blank=True, null=True)),
                ('sent_at', models.DateTimeField(blank=True, null=True)),
                ('attempts', models.PositiveSmallIntegerField(default=0)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reminders', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'påmindelse',
                'verbose_name_plural': 'påmindelser',
                'db_table': 'meetings_reminder',
                'indexes': [models.Index(condition=models.Q(('status__in', ['pending', 'queued'])), fields=['send_at'], name='reminder_waiting_by_send_at'), models.Index(fields=['object_type', 'object_id'], name='meetings_re_object__75fe01_idx')],
                'constraints': [models.UniqueConstraint(fields=('kind', 'object_type', 'object_id', 'recipient', 'due_at'), name='reminder_once_per_kind_object_recipient_and_time')],
            },
        ),
            ],
            database_operations=[],
        ),
    ]
