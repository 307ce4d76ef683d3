"""Reminders that chase a notification under Barnets lov until it is recorded as sent.

Registered with the core's reminder machinery (`ssp.notify.reminders`), so they are claimed
with SKIP LOCKED, sent once each, swept when lost, and follow each user's quiet hours:
- on the due date, the responsible person: "registrér, at underretningen er sendt";
- every working day after it, the responsible person again (one reminder per day: the day is
  part of the reminder's unique key);
- once, `NOTIFICATION_ESCALATE_AFTER_WORKING_DAYS` working days after the due date, the
  municipality's SSP consultants (an absent one's stand-in instead).
As soon as it is recorded, the morning scan schedules nothing more and a reminder already
waiting is dropped when it comes to be sent (`_line` answers None). Content-free: a sentence,
a date and a link.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

from django.db import models
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import NotificationTask
from cases.services.followthrough import NOTIFICATION_ESCALATE_AFTER_WORKING_DAYS
from forum.absences import consultants_of, stand_in_for
from ssp.models import Reminder
from ssp.notify.reminders import (
    Due,
    Line,
    absolute,
    daily_source_register,
    morning_of,
    reminder_kind_register,
)
from ssp.workdays import is_working_day, working_days_after

TASK_TYPE = "cases.notificationtask"


class NotificationReminderKind(models.TextChoices):
    DUE = "notice_due", gettext_lazy("Underretning skal registreres")
    LATE = "notice_late", gettext_lazy("Underretning er ikke registreret")
    ESCALATED = "notice_escalated", gettext_lazy("Underretning over frist")


def escalation_day(task: NotificationTask) -> date:
    return working_days_after(task.due_on, NOTIFICATION_ESCALATE_AFTER_WORKING_DAYS)


def notification_reminders(today: date) -> Iterator[Due]:
    """The morning scan's reminders for the open tasks due today or before."""
    tasks = NotificationTask.objects.filter(
        recorded_at__isnull=True, due_on__lte=today
    ).select_related("concern", "responsible")
    for task in tasks:
        if task.responsible.is_active and (task.due_on == today or is_working_day(today)):
            kind = (
                NotificationReminderKind.DUE
                if task.due_on == today
                else NotificationReminderKind.LATE
            )
            yield Due(kind, TASK_TYPE, task.pk, task.responsible_id, morning_of(today))
        escalate_on = escalation_day(task)
        if today >= escalate_on:
            municipality_id = task.concern.municipality_id
            consultants = consultants_of(municipality_id).values_list("pk", flat=True)
            for user_id in sorted(stand_in_for(consultants, municipality_id, today)):
                yield Due(
                    NotificationReminderKind.ESCALATED,
                    TASK_TYPE,
                    task.pk,
                    user_id,
                    # The same moment on every later morning: sent once per consultant.
                    morning_of(escalate_on),
                )


def _line(reminder: Reminder, task: NotificationTask) -> Line | None:
    if task.recorded_at is not None:
        return None
    due = date_format(task.due_on, "DATE_FORMAT")
    if reminder.kind == NotificationReminderKind.DUE:
        text = _(
            "Du har svaret, at der bliver sendt en underretning. Registrér senest i dag "
            "(%(date)s), hvornår og af hvem den blev sendt."
        )
    elif reminder.kind == NotificationReminderKind.LATE:
        text = _(
            "Det er endnu ikke registreret, at underretningen er sendt (frist %(date)s). "
            "Registrér det, når den er sendt."
        )
    else:
        text = _(
            "En underretning efter barnets lov er ikke registreret som sendt, og fristen "
            "%(date)s er overskredet."
        )
    return Line(
        text % {"date": due}, absolute(reverse("cases:concern_detail", args=[task.concern_id]))
    )


def _tasks(pks: Iterable[int]) -> Iterable[NotificationTask]:
    return NotificationTask.objects.filter(pk__in=pks)


def register() -> None:
    """Called from CasesConfig.ready."""
    for kind in NotificationReminderKind:
        reminder_kind_register(
            kind, label=kind.label, object_type=TASK_TYPE, load=_tasks, line=_line
        )
    daily_source_register(notification_reminders)
