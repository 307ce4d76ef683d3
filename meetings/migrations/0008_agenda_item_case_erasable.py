"""An agenda item outlives the case it was about: erasing the case (retention, or erasure on
request) sets the item's case to NULL and `case_erased_at`, and `meetings.erasure` removes the
item's personal text, its decisions' and tasks' text and its attachments."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('meetings', '0007_agendaitem_basis'),
    ]

    operations = [
        migrations.AddField(
            model_name='agendaitem',
            name='case_erased_at',
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AlterField(
            model_name='agendaitem',
            name='case',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='agenda_items', to='cases.case', verbose_name='sag'),
        ),
    ]
