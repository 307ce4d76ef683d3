# The activities taken over from the year wheel get what every activity has: the body and
# municipality of their plan's school team, their own calendar UID, and the creator of their
# plan. The SSP-Følgegruppe's approvals of the teaching and activity plan (meetings'
# ActivityPlanApproval) become annual plans of the Følgegruppe that cover the school teams.

import datetime
import uuid

import django.db.models.deletion
from django.db import migrations, models


def fill_activities(apps, schema_editor):
    Activity = apps.get_model("prevention", "Activity")
    for activity in Activity.objects.select_related("plan__body").filter(body__isnull=True):
        body = activity.plan.body
        activity.body_id = body.pk
        activity.municipality_id = body.municipality_id
        activity.school_id = body.unit_id
        activity.created_by_id = activity.plan.created_by_id
        activity.uid = uuid.uuid4()
        activity.save(
            update_fields=["body", "municipality", "school", "created_by", "uid"]
        )
    # The new foreign keys are checked at commit; check them now, so that the columns can be
    # altered in the same transaction.
    schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def approvals_to_plans(apps, schema_editor):
    Approval = apps.get_model("meetings", "ActivityPlanApproval")
    AnnualPlan = apps.get_model("prevention", "AnnualPlan")
    Body = apps.get_model("forum", "Body")
    for approval in Approval.objects.select_related("meeting"):
        year = approval.school_year
        plan = AnnualPlan.objects.create(
            body_id=approval.meeting.body_id,
            title=f"Undervisnings- og aktivitetsplan {year}/{str(year + 1)[-2:]}",
            starts_on=datetime.date(year, 8, 1),
            ends_on=datetime.date(year + 1, 7, 31),
            approval_meeting_id=approval.meeting_id,
            approval_note=approval.note,
            approved_by_id=approval.approved_by_id,
            approved_at=approval.approved_at,
            created_by_id=approval.approved_by_id,
        )
        plan.covers.set(
            Body.objects.filter(municipality_id=approval.municipality_id, kind="school_team")
        )
    schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):

    dependencies = [
        ('meetings', '0008_agenda_item_case_erasable'),
        ('prevention', '0001_initial'),
    ]

    operations = [
        migrations.RunPython(fill_activities, migrations.RunPython.noop),
        migrations.RunPython(approvals_to_plans, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='activity',
            name='uid',
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AlterField(
            model_name='activity',
            name='body',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='prevention_activities', to='forum.body', verbose_name='organ'),
        ),
        migrations.AlterField(
            model_name='activity',
            name='municipality',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='forum.municipality'),
        ),
    ]
