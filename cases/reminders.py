"""Reminders about case work: an action due tomorrow or overdue, a follow-up due tomorrow.

Registered with the core's reminder machinery (`ssp.notify.reminders`). A reminder about case
work names no young person: it says there is something to do, with a link.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, timedelta

from django.db import models
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import Action, Case, CaseStatus
from ssp.models import Reminder
from ssp.notify.reminders import (
    Due,
    Line,
    absolute,
    daily_source_register,
    morning_of,
    reminder_kind_register,
)

ACTION_TYPE = "cases.action"
CASE_TYPE = "cases.case"


class CaseReminderKind(models.TextChoices):
    ACTION_DUE = "action_due", gettext_lazy("Indsats med frist")
    ACTION_OVERDUE = "action_overdue", gettext_lazy("Indsats over frist")
    FOLLOW_UP_DUE = "follow_up_due", gettext_lazy("Opfølgning på sag")


def action_reminders(today: date) -> Iterator[Due]:
    tomorrow = today + timedelta(days=1)
    actions = Action.objects.filter(
        done_on__isnull=True,
        responsible__user__is_active=True,
        case__status__in=[CaseStatus.OPEN, CaseStatus.ACTIVE, CaseStatus.FOLLOW_UP],
        due_on__lte=tomorrow,
        due_on__gte=today - timedelta(days=7),
    ).values_list("pk", "responsible__user_id", "due_on")
    for pk, user_id, due_on in actions:
        if due_on == tomorrow:
            yield Due(CaseReminderKind.ACTION_DUE, ACTION_TYPE, pk, user_id, morning_of(today))
        elif due_on < today:
            # Once, on the morning after the deadline.
            yield Due(
                CaseReminderKind.ACTION_OVERDUE,
                ACTION_TYPE,
                pk,
                user_id,
                morning_of(due_on + timedelta(days=1)),
            )


def follow_up_reminders(today: date) -> Iterator[Due]:
    cases = Case.objects.filter(
        follow_up_on=today + timedelta(days=1),
        coordinator__is_active=True,
    ).exclude(status=CaseStatus.CLOSED)
    for pk, user_id in cases.values_list("pk", "coordinator_id"):
        yield Due(CaseReminderKind.FOLLOW_UP_DUE, CASE_TYPE, pk, user_id, morning_of(today))


def _action_line(reminder: Reminder, action: Action) -> Line | None:
    if action.done_on is not None:
        return None
    template = (
        _("En indsats, du er ansvarlig for, har frist %(date)s.")
        if reminder.kind == CaseReminderKind.ACTION_DUE
        else _("En indsats, du er ansvarlig for, har overskredet fristen %(date)s.")
    )
    text = template % {"date": date_format(action.due_on, "DATE_FORMAT")}
    return Line(text, absolute(reverse("cases:case_detail", args=[action.case_id])))


def _follow_up_line(reminder: Reminder, case: Case) -> Line | None:
    if case.status == CaseStatus.CLOSED:
        return None
    text = _("En sag, du er tovholder på, skal følges op %(date)s.") % {
        "date": date_format(case.follow_up_on, "DATE_FORMAT")
    }
    return Line(text, absolute(case.get_absolute_url()))


def _actions(pks: Iterable[int]) -> Iterable[Action]:
    return Action.objects.filter(pk__in=pks)


def _cases(pks: Iterable[int]) -> Iterable[Case]:
    return Case.objects.filter(pk__in=pks)


def register() -> None:
    """Called from CasesConfig.ready."""
    for kind in (CaseReminderKind.ACTION_DUE, CaseReminderKind.ACTION_OVERDUE):
        reminder_kind_register(
            kind, label=kind.label, object_type=ACTION_TYPE, load=_actions, line=_action_line
        )
    reminder_kind_register(
        CaseReminderKind.FOLLOW_UP_DUE,
        label=CaseReminderKind.FOLLOW_UP_DUE.label,
        object_type=CASE_TYPE,
        load=_cases,
        line=_follow_up_line,
    )
    daily_source_register(action_reminders)
    daily_source_register(follow_up_reminders)
