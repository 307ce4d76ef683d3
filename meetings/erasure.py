"""What a meeting keeps when a case it discussed is erased (a hook of `cases.erasure`).

The agenda items about the case stay, so the meeting's record (its agenda, minutes, decisions,
tasks and who took part) stays whole; the case is replaced by a neutral placeholder, rendered
through gettext from `AgendaItem.case_erased_at` (never stored text), and every text that could
describe the young person is emptied: the item's title, description, purpose and minutes, its
decisions' text and their tasks' titles. The item's attachments are deleted with their files.
The minutes PDF is rendered on request and never stored, so no rendered file is left to remove.

Registered from `MeetingsConfig.ready`; the erasing transaction calls it before the cases go.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext_lazy as _

from cases.erasure import Erasure, erasure_hook_register
from cases.models import Case
from meetings.models import AgendaAttachment, AgendaItem, Decision, Task


def erase_case_records(cases: Sequence[Case], erasure: Erasure) -> None:
    """Anonymise the agenda items about the cases, their decisions and tasks; delete their
    attachments (the files after commit)."""
    municipality_of = {case.pk: case.municipality_id for case in cases}
    items = dict(
        AgendaItem.objects.select_for_update()
        .filter(case_id__in=list(municipality_of))
        .values_list("pk", "case_id")
    )
    if not items:
        return
    item_municipality = {pk: municipality_of[case_id] for pk, case_id in items.items()}
    attachments = list(AgendaAttachment.objects.filter(item_id__in=list(items)))
    for attachment in attachments:
        erasure.remove_file(attachment.file.storage, attachment.file.name)
    erasure.deleted("agendaattachment", ((a.pk, item_municipality[a.item_id]) for a in attachments))
    AgendaAttachment.objects.filter(pk__in=[a.pk for a in attachments]).delete()
    decisions = Decision.objects.filter(item_id__in=list(items))
    tasks = Task.objects.filter(decision__in=decisions.values("pk"))
    task_rows = tasks.values_list("pk", "decision__item_id")
    erasure.anonymised("task", ((pk, item_municipality[item]) for pk, item in task_rows))
    decision_rows = decisions.values_list("pk", "item_id")
    erasure.anonymised("decision", ((pk, item_municipality[item]) for pk, item in decision_rows))
    erasure.anonymised("agendaitem", item_municipality.items())
    tasks.update(title="")
    decisions.update(text="")
    AgendaItem.objects.filter(pk__in=list(items)).update(
        case=None,
        case_erased_at=erasure.at,
        title="",
        description="",
        purpose="",
        minutes="",
    )


def register() -> None:
    erasure_hook_register(
        erase_case_records,
        record_types={
            "agendaitem": _("Dagsordenspunkt"),
            "decision": _("Beslutning"),
            "task": _("Opgave fra møde"),
            "agendaattachment": _("Bilag"),
        },
    )
