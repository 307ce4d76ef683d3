"""Retention per municipality, legal holds with their history, a richer deletion log, and
corrections of notes as addenda.

Holds placed before this migration (a `legal_hold` flag set in the shell) get a history row
without who or why, so the legal-hold page lists them and they can be released there.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def _history_for_existing_holds(apps, schema_editor):  # type: ignore[no-untyped-def]
    Case = apps.get_model("cases", "Case")
    YoungPerson = apps.get_model("cases", "YoungPerson")
    LegalHold = apps.get_model("cases", "LegalHold")
    LegalHold.objects.bulk_create(
        [
            LegalHold(municipality_id=case.municipality_id, case=case)
            for case in Case.objects.filter(legal_hold=True)
        ]
        + [
            LegalHold(municipality_id=person.municipality_id, young_person=person)
            for person in YoungPerson.objects.filter(legal_hold=True)
        ]
    )


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0006_basis'),
        ('forum', '0005_municipality_age_bands'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='LegalHold',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reason', models.CharField(blank=True, max_length=500, verbose_name='begrundelse')),
                ('placed_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('released_at', models.DateTimeField(blank=True, null=True)),
                ('release_reason', models.CharField(blank=True, max_length=500, verbose_name='begrundelse for ophævelse')),
            ],
            options={
                'verbose_name': 'retlig tilbageholdelse',
                'verbose_name_plural': 'retlige tilbageholdelser',
                'ordering': ('-placed_at', '-id'),
            },
        ),
        migrations.CreateModel(
            name='RetentionPolicy',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('concern_without_case_days', models.PositiveIntegerField(help_text='Fra bekymringen blev modtaget, når den ikke førte til en sag.', verbose_name='bekymringer uden sag (dage)')),
                ('closed_case_days', models.PositiveIntegerField(help_text='Fra sagen blev lukket.', verbose_name='lukkede sager (dage)')),
                ('note_days', models.PositiveIntegerField(help_text='Fra notatet blev skrevet, også på åbne sager.', verbose_name='notater (dage)')),
                ('audit_log_days', models.PositiveIntegerField(help_text='Fra opslaget eller ændringen blev logget.', verbose_name='adgangslog (dage)')),
                ('updated_at', models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                'verbose_name': 'opbevaringsperioder',
                'verbose_name_plural': 'opbevaringsperioder',
            },
        ),
        migrations.AlterModelOptions(
            name='deletionrecord',
            options={'ordering': ('-deleted_at', '-id'), 'verbose_name': 'sletning', 'verbose_name_plural': 'sletningslog'},
        ),
        migrations.AddField(
            model_name='deletionrecord',
            name='cause',
            field=models.CharField(choices=[('retention', 'Opbevaringsperioden er udløbet'), ('request', 'Slettet efter anmodning')], default='retention', max_length=10, verbose_name='årsag'),
        ),
        migrations.AddField(
            model_name='deletionrecord',
            name='outcome',
            field=models.CharField(choices=[('deleted', 'Slettet'), ('anonymised', 'Anonymiseret')], default='deleted', max_length=10, verbose_name='udfald'),
        ),
        migrations.AddField(
            model_name='note',
            name='corrects',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='corrections', to='cases.note', verbose_name='retter notat'),
        ),
        migrations.AlterField(
            model_name='deletionrecord',
            name='deleted_at',
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name='slettet'),
        ),
        migrations.AlterField(
            model_name='deletionrecord',
            name='record_id',
            field=models.BigIntegerField(verbose_name='id'),
        ),
        migrations.AlterField(
            model_name='deletionrecord',
            name='record_type',
            field=models.CharField(max_length=40, verbose_name='posttype'),
        ),
        migrations.AlterField(
            model_name='deletionrecord',
            name='rule',
            field=models.CharField(max_length=200, verbose_name='regel'),
        ),
        migrations.AddIndex(
            model_name='deletionrecord',
            index=models.Index(fields=['municipality', '-deleted_at'], name='cases_deletion_log'),
        ),
        migrations.AddIndex(
            model_name='deletionrecord',
            index=models.Index(fields=['municipality', 'record_type', '-deleted_at'], name='cases_deletion_log_type'),
        ),
        migrations.AddField(
            model_name='legalhold',
            name='case',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='legal_holds', to='cases.case'),
        ),
        migrations.AddField(
            model_name='legalhold',
            name='municipality',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='forum.municipality'),
        ),
        migrations.AddField(
            model_name='legalhold',
            name='placed_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='legalhold',
            name='released_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='legalhold',
            name='young_person',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='legal_holds', to='cases.youngperson'),
        ),
        migrations.AddField(
            model_name='retentionpolicy',
            name='municipality',
            field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='retention_policy', to='forum.municipality'),
        ),
        migrations.AddField(
            model_name='retentionpolicy',
            name='updated_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddIndex(
            model_name='legalhold',
            index=models.Index(condition=models.Q(('released_at__isnull', True)), fields=['municipality', '-placed_at'], name='cases_legalhold_active'),
        ),
        migrations.AddConstraint(
            model_name='legalhold',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('case__isnull', False), ('young_person__isnull', True)), models.Q(('case__isnull', True), ('young_person__isnull', False)), _connector='OR'), name='cases_legalhold_case_or_young_person'),
        ),
        migrations.AddConstraint(
            model_name='legalhold',
            constraint=models.UniqueConstraint(condition=models.Q(('case__isnull', False), ('released_at__isnull', True)), fields=('case',), name='cases_legalhold_one_active_per_case'),
        ),
        migrations.AddConstraint(
            model_name='legalhold',
            constraint=models.UniqueConstraint(condition=models.Q(('released_at__isnull', True), ('young_person__isnull', False)), fields=('young_person',), name='cases_legalhold_one_active_per_young_person'),
        ),
        migrations.AddConstraint(
            model_name='retentionpolicy',
            constraint=models.CheckConstraint(condition=models.Q(('audit_log_days__gte', 183)), name='cases_retention_audit_log_six_months'),
        ),
        migrations.RunPython(_history_for_existing_holds, migrations.RunPython.noop),
    ]
