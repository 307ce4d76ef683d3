# The year wheel's activities move from meetings to prevention: the model is taken over as it
# stood (state only), its table renamed, then widened to every body's prevention work. The
# rows are kept; 0002 fills in what the new columns need.

import django.contrib.postgres.fields
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('forum', '0005_municipality_age_bands'),
        ('meetings', '0008_agenda_item_case_erasable'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Activity',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('teaching', 'Undervisningsforløb'), ('parent_meeting', 'Forældremøde'), ('theme_day', 'Temadag'), ('other', 'Anden aktivitet')], max_length=20, verbose_name='type')),
                        ('title', models.CharField(max_length=200, verbose_name='aktivitet')),
                        ('grade', models.CharField(blank=True, max_length=50, verbose_name='klassetrin')),
                        ('planned_on', models.DateField(verbose_name='dato')),
                        ('done_at', models.DateTimeField(blank=True, null=True)),
                        ('responsible', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='forum.person', verbose_name='ansvarlig')),
                        ('plan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='activities', to='meetings.schoolyearplan')),
                    ],
                    options={
                        'verbose_name': 'aktivitet',
                        'verbose_name_plural': 'aktiviteter',
                        'ordering': ['planned_on', 'pk'],
                        'db_table': 'meetings_activity',
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name='activity', table=None),
        migrations.AddField(
            model_name='activity',
            name='age_band',
            field=models.CharField(blank=True, choices=[('children', 'Børn (indskoling og mellemtrin)'), ('young', 'Unge (SSP)'), ('young_adults', 'Unge voksne (SSP+)'), ('adults', 'Forældre og fagfolk'), ('all', 'Alle aldre')], max_length=12, verbose_name='aldersgruppe'),
        ),
        migrations.AddField(
            model_name='activity',
            name='asked_by',
            field=models.CharField(blank=True, choices=[('professional', 'Fagperson'), ('parent', 'Forælder'), ('young_person', 'Ung')], max_length=12, verbose_name='hvem spurgte'),
        ),
        migrations.AddField(
            model_name='activity',
            name='body',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='prevention_activities', to='forum.body', verbose_name='organ'),
        ),
        migrations.AddField(
            model_name='activity',
            name='created_at',
            field=models.DateTimeField(default=django.utils.timezone.now, editable=False),
        ),
        migrations.AddField(
            model_name='activity',
            name='created_by',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='activity',
            name='description',
            field=models.TextField(blank=True, max_length=2000, verbose_name='beskrivelse'),
        ),
        migrations.AddField(
            model_name='activity',
            name='done_by',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='activity',
            name='issues',
            field=django.contrib.postgres.fields.ArrayField(base_field=models.CharField(choices=[('alcohol', 'Alkohol'), ('drugs', 'Hash og stoffer'), ('vandalism', 'Hærværk'), ('conflict', 'Konflikter'), ('insecurity', 'Utryghed'), ('gathering', 'Store grupper'), ('other', 'Andet')], max_length=12), blank=True, default=list, size=None, verbose_name='observationer'),
        ),
        migrations.AddField(
            model_name='activity',
            name='level',
            field=models.CharField(choices=[('general', 'Generel'), ('specific', 'Specifik'), ('individual', 'Individorienteret')], default='general', max_length=12, verbose_name='niveau'),
        ),
        migrations.AddField(
            model_name='activity',
            name='mood',
            field=models.CharField(blank=True, choices=[('calm', 'Rolig'), ('mixed', 'Blandet'), ('tense', 'Urolig')], max_length=10, verbose_name='stemning'),
        ),
        migrations.AddField(
            model_name='activity',
            name='municipality',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='forum.municipality'),
        ),
        migrations.AddField(
            model_name='activity',
            name='outcome',
            field=models.CharField(blank=True, choices=[('advice', 'Råd og vejledning'), ('referred', 'Henvist videre'), ('follow_up', 'Aftalt opfølgning'), ('concern', 'Blev til en bekymring')], max_length=10, verbose_name='udfald'),
        ),
        migrations.AddField(
            model_name='activity',
            name='parents',
            field=models.PositiveIntegerField(default=0, verbose_name='forældre'),
        ),
        migrations.AddField(
            model_name='activity',
            name='partner_bodies',
            field=models.ManyToManyField(blank=True, related_name='+', to='forum.body', verbose_name='samarbejdspartnere'),
        ),
        migrations.AddField(
            model_name='activity',
            name='people',
            field=models.ManyToManyField(blank=True, related_name='+', to='forum.person', verbose_name='deltagende fagfolk'),
        ),
        migrations.AddField(
            model_name='activity',
            name='place',
            field=models.CharField(blank=True, max_length=200, verbose_name='sted'),
        ),
        migrations.AddField(
            model_name='activity',
            name='prevention_kind',
            field=models.CharField(choices=[('proactive', 'Proaktiv'), ('reactive', 'Reaktiv'), ('situational', 'Situationel')], default='proactive', max_length=12, verbose_name='type forebyggelse'),
        ),
        migrations.AddField(
            model_name='activity',
            name='professionals',
            field=models.PositiveIntegerField(default=0, verbose_name='fagfolk'),
        ),
        migrations.AddField(
            model_name='activity',
            name='pupils',
            field=models.PositiveIntegerField(default=0, verbose_name='elever'),
        ),
        migrations.AddField(
            model_name='activity',
            name='school',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='forum.unit', verbose_name='skole eller institution'),
        ),
        migrations.AddField(
            model_name='activity',
            name='sequence',
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name='activity',
            name='time_of_day',
            field=models.TimeField(blank=True, null=True, verbose_name='tidspunkt'),
        ),
        migrations.AddField(
            model_name='activity',
            name='topic',
            field=models.CharField(blank=True, choices=[('wellbeing', 'Trivsel'), ('crime', 'Kriminalitet'), ('drugs', 'Rusmidler'), ('digital', 'Digitale medier'), ('groups', 'Grupper og bander'), ('radicalisation', 'Radikalisering'), ('other', 'Andet')], max_length=16, verbose_name='emne'),
        ),
        migrations.AddField(
            model_name='activity',
            name='uid',
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name='activity',
            name='updated_at',
            field=models.DateTimeField(auto_now=True),
        ),
        migrations.AddField(
            model_name='activity',
            name='young_people',
            field=models.PositiveIntegerField(default=0, verbose_name='unge mødt'),
        ),
        migrations.AlterField(
            model_name='activity',
            name='done_at',
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AlterField(
            model_name='activity',
            name='kind',
            field=models.CharField(choices=[('teaching', 'Undervisningsforløb'), ('parent_meeting', 'Forældremøde'), ('theme_day', 'Temadag'), ('course', 'Kursus'), ('campaign', 'Kampagne'), ('street_round', 'Gadeplansrunde'), ('network_meeting', 'Netværksmøde'), ('counselling', 'Rådgivning'), ('situational', 'Situationel foranstaltning'), ('other', 'Anden aktivitet')], max_length=20, verbose_name='type'),
        ),
        migrations.AlterField(
            model_name='activity',
            name='plan',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='activities', to='meetings.schoolyearplan', verbose_name='årsplan'),
        ),
        migrations.CreateModel(
            name='AnnualPlan',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=200, verbose_name='titel')),
                ('starts_on', models.DateField(verbose_name='gælder fra')),
                ('ends_on', models.DateField(verbose_name='gælder til')),
                ('summary', models.TextField(blank=True, max_length=2000, verbose_name='indsatser og mål')),
                ('approval_note', models.CharField(blank=True, max_length=1000, verbose_name='bemærkning')),
                ('approved_at', models.DateTimeField(blank=True, editable=False, null=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('approval_meeting', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='meetings.meeting', verbose_name='godkendt på mødet')),
                ('approved_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('body', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='annual_plans', to='forum.body', verbose_name='organ')),
                ('covers', models.ManyToManyField(blank=True, related_name='+', to='forum.body', verbose_name='omfatter også')),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'årsplan',
                'verbose_name_plural': 'årsplaner',
                'ordering': ['-starts_on', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='Project',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=200, verbose_name='titel')),
                ('goal', models.TextField(max_length=2000, verbose_name='mål')),
                ('starts_on', models.DateField(verbose_name='start')),
                ('ends_on', models.DateField(verbose_name='slut')),
                ('budget_note', models.CharField(blank=True, max_length=500, verbose_name='budget')),
                ('status', models.CharField(choices=[('planned', 'Planlagt'), ('running', 'I gang'), ('done', 'Afsluttet'), ('cancelled', 'Aflyst')], default='planned', max_length=10, verbose_name='status')),
                ('evaluation', models.TextField(blank=True, max_length=2000, verbose_name='evaluering')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('body', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='prevention_projects', to='forum.body', verbose_name='organ')),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('municipality', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='forum.municipality')),
            ],
            options={
                'verbose_name': 'projekt',
                'verbose_name_plural': 'projekter',
                'ordering': ['-starts_on', 'title', 'pk'],
            },
        ),
        migrations.AddField(
            model_name='activity',
            name='project',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='activities', to='prevention.project', verbose_name='projekt'),
        ),
        migrations.AddIndex(
            model_name='activity',
            index=models.Index(fields=['municipality', 'planned_on'], name='prev_act_muni_date'),
        ),
        migrations.AddIndex(
            model_name='activity',
            index=models.Index(fields=['municipality', 'kind', 'planned_on'], name='prev_act_muni_kind'),
        ),
        migrations.AddIndex(
            model_name='activity',
            index=models.Index(fields=['municipality', 'level', 'planned_on'], name='prev_act_muni_level'),
        ),
        migrations.AddIndex(
            model_name='activity',
            index=models.Index(fields=['body', 'planned_on'], name='prev_act_body_date'),
        ),
        migrations.AddConstraint(
            model_name='annualplan',
            constraint=models.CheckConstraint(condition=models.Q(('ends_on__gt', models.F('starts_on'))), name='annual_plan_ends_after_start'),
        ),
        migrations.AddConstraint(
            model_name='annualplan',
            constraint=models.UniqueConstraint(fields=('body', 'starts_on'), name='annual_plan_once_per_body_and_start'),
        ),
        migrations.AddConstraint(
            model_name='annualplan',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('approval_meeting__isnull', True), ('approved_at__isnull', True)), models.Q(('approval_meeting__isnull', False), ('approved_at__isnull', False)), _connector='OR'), name='annual_plan_approved_at_a_meeting'),
        ),
        migrations.AddIndex(
            model_name='project',
            index=models.Index(fields=['municipality', 'starts_on'], name='prevention__municip_5bf77e_idx'),
        ),
        migrations.AddIndex(
            model_name='project',
            index=models.Index(fields=['body', 'starts_on'], name='prevention__body_id_bf02b6_idx'),
        ),
        migrations.AddConstraint(
            model_name='project',
            constraint=models.CheckConstraint(condition=models.Q(('ends_on__gte', models.F('starts_on'))), name='project_ends_after_start'),
        ),
    ]
