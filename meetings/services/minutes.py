"""Minutes, decisions and follow-up tasks of a held meeting."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import services as case_services
from cases.models import BasisOrigin
from cases.permissions import cases_visible_to
from forum.models import Body, Person
from meetings import minutes, notifications
from meetings.models import AgendaItem, Decision, Meeting, Task
from meetings.services._common import check_open, log_case_write, participants_of
from ssp.models import AuditAction, User


def _check_minutes_open(meeting: Meeting) -> None:
    if meeting.minutes_approved:
        raise ValidationError(_("Referatet er godkendt og kan ikke ændres."))
    check_open(meeting)
    if meeting.starts_at > timezone.now():
        raise ValidationError(_("Referatet skrives, når mødet er begyndt."))


@transaction.atomic
def minutes_write(*, meeting: Meeting, texts: dict[int, str], by: User | None = None) -> int:
    """Save the minutes of the agenda items given (item id → text), sanitised. The minutes of
    an item about a case are the young person's data: each such write is logged."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _check_minutes_open(meeting)
    items = list(meeting.agenda_items.filter(pk__in=texts).select_related("case"))
    if len(items) != len(texts):
        raise ValidationError(_("Et af punkterne hører ikke til mødet."))
    for item in items:
        item.minutes = minutes.clean(texts[item.pk])
    AgendaItem.objects.bulk_update(items, ["minutes"])
    for item in items:
        log_case_write(by=by, action=AuditAction.UPDATE, obj=item, item=item)
    return len(items)


@transaction.atomic
def decision_add(
    *,
    item: AgendaItem,
    by: User,
    text: str,
    task_title: str = "",
    responsible: Person | None = None,
    due_on: date | None = None,
    share_with_body: Body | None = None,
    share_with_user: User | None = None,
    share_purpose: str = "",
    criteria: dict[str, bool] | None = None,
) -> Decision:
    """Record a decision under an agenda item; it may create a follow-up task and, for an
    item about a case, a §115 share of the case (confirmed like any other share)."""
    meeting = Meeting.objects.select_for_update().get(pk=item.meeting_id)
    _check_minutes_open(meeting)
    errors: dict[str, list[str]] = {}
    if not text.strip():
        errors["text"] = [_("Skriv beslutningen.")]
    if task_title.strip() and responsible is None:
        errors["responsible"] = [_("Vælg hvem der er ansvarlig for opgaven.")]
    if responsible is not None and not task_title.strip():
        errors["task_title"] = [_("Skriv hvad opgaven går ud på.")]
    if due_on is not None and due_on < timezone.localdate():
        errors["due_on"] = [_("Fristen kan ikke ligge i fortiden.")]
    if (
        responsible is not None
        and item.case_id is not None
        and not (
            responsible.user_id
            and cases_visible_to(responsible.user).filter(pk=item.case_id).exists()
        )
    ):
        errors["responsible"] = [
            _("Den ansvarlige har ikke adgang til sagen. Del sagen med personen først.")
        ]
    sharing = share_with_body is not None or share_with_user is not None
    if sharing and item.case_id is None:
        errors["__all__"] = [_("Kun et punkt om en sag kan dele sagen.")]
    elif sharing and not cases_visible_to(by).filter(pk=item.case_id).exists():
        errors["__all__"] = [_("Du kan ikke dele en sag, som du ikke selv har adgang til.")]
    if errors:
        raise ValidationError(errors)
    decision = Decision.objects.create(item=item, text=text.strip(), created_by=by)
    log_case_write(by=by, action=AuditAction.CREATE, obj=decision, item=item)
    if task_title.strip():
        task = Task.objects.create(
            decision=decision, title=task_title.strip(), responsible=responsible, due_on=due_on
        )
        log_case_write(by=by, action=AuditAction.CREATE, obj=task, item=item)
    if sharing:
        case_services.case_share(
            case=item.case,
            by=by,
            purpose=share_purpose,
            criteria=criteria or {},
            body=share_with_body,
            user=share_with_user,
            origin=BasisOrigin.DECISION,
        )
    return decision


@transaction.atomic
def minutes_approve(*, meeting: Meeting, by: User) -> Meeting:
    """Approve and lock the minutes; the participants are told where to read them."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _check_minutes_open(meeting)
    meeting.minutes_approved_at = timezone.now()
    meeting.minutes_approved_by = by
    meeting.save(update_fields=["minutes_approved_at", "minutes_approved_by"])
    notifications.minutes_approved(meeting, participants_of(meeting))
    return meeting


@transaction.atomic
def task_mark_done(*, task: Task, by: User | None = None) -> Task:
    if task.done_at is None:
        task.done_at = timezone.now()
        task.save(update_fields=["done_at"])
        log_case_write(by=by, action=AuditAction.UPDATE, obj=task, item=task.decision.item)
    return task
