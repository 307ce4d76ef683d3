"""Timeline lines become data: a message code and its values, put into words when shown.

Old lines whose words are recognised get their params (`cases.event_legacy`); the rest keep
only their stored text, which the timeline then shows as before."""

from django.db import migrations, models


def parse_old_lines(apps, schema_editor):
    from cases.event_legacy import params_from_text

    CaseEvent = apps.get_model("cases", "CaseEvent")
    changed = []
    for event in CaseEvent.objects.filter(params={}).only("id", "kind", "text").iterator():
        params = params_from_text(event.kind, event.text)
        if params:
            event.params = params
            changed.append(event)
        if len(changed) >= 500:
            CaseEvent.objects.bulk_update(changed, ["params"])
            changed = []
    CaseEvent.objects.bulk_update(changed, ["params"])
    parse_concern_moves(apps)


def parse_concern_moves(apps):
    """A concern's move to a case kept its old status and the case as Danish words."""
    from cases.event_legacy import concern_case_change

    ConcernChange = apps.get_model("cases", "ConcernChange")
    for change in ConcernChange.objects.filter(field="case"):
        old, new = concern_case_change(change.old_value, change.new_value)
        if (old, new) != (change.old_value, change.new_value):
            change.old_value, change.new_value = old, new
            change.save(update_fields=["old_value", "new_value"])


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0014_concern_reported_identity_b"),
    ]

    operations = [
        migrations.AddField(
            model_name="caseevent",
            name="params",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.RunPython(parse_old_lines, migrations.RunPython.noop),
    ]
