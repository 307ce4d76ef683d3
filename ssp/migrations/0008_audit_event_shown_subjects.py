"""The young people a list or search showed, and the search term, on the access log's rows.

Adding a column with a constant default changes no existing row (PostgreSQL stores the
default in the catalogue), so the append-only trigger of 0003 is neither fired nor needed to
be lifted; it keeps refusing every UPDATE and DELETE of the new columns too.
"""

import django.contrib.postgres.fields
import django.contrib.postgres.indexes
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('ssp', '0007_audit_action_grant'),
    ]

    operations = [
        migrations.AddField(
            model_name='auditevent',
            name='search_term',
            field=models.CharField(blank=True, max_length=200, verbose_name='søgeord'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='shown_subjects',
            field=django.contrib.postgres.fields.ArrayField(base_field=models.BigIntegerField(), blank=True, default=list, help_text='De unge, som en liste eller søgning viste.', size=None, verbose_name="viste unges id'er"),
        ),
        migrations.AddIndex(
            model_name='auditevent',
            index=django.contrib.postgres.indexes.GinIndex(fields=['shown_subjects'], name='ssp_audit_shown_subjects'),
        ),
    ]
