"""Reminders about meetings: a meeting coming up, the agenda deadline, minutes not approved,
a task from a meeting, and the yearly cycle (September planning, the Følgegruppe's January
meeting).

The machinery (scheduling, quiet hours and the digest, claiming, sending) is the core's
(`ssp.notify.reminders`); this module registers the kinds above with it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from forum.models import Body, BodyKind
from forum.selectors import lead_users
from meetings.models import (
    Meeting,
    MeetingKind,
    MeetingStatus,
    Participant,
    ReminderKind,
    Rsvp,
    Task,
    school_year_label,
    school_year_of,
)
from ssp.models import Reminder, ReminderStatus, User, default_meeting_offsets
from ssp.notify.reminders import (
    Due,
    Line,
    absolute,
    daily_source_register,
    morning_of,
    reminder_kind_register,
    schedule,
    settings_of,
    when,
)
from ssp.workdays import working_days_after

MEETING_TYPE = "meetings.meeting"
TASK_TYPE = "meetings.task"
BODY_TYPE = "forum.body"

# The organiser is reminded to send the agenda this many days before, at this time.
AGENDA_DEADLINE_DAYS = 2


def meeting_reminders(meeting: Meeting) -> list[Due]:
    """The reminders a meeting should have now: each participant with a login who has not
    declined, at their offsets before the start; the organiser, at the agenda deadline and
    two working days after the meeting if the minutes are not approved by then."""
    if meeting.status != MeetingStatus.PLANNED:
        return []
    now = timezone.now()
    participants = list(
        Participant.objects.filter(meeting=meeting, person__user__is_active=True)
        .exclude(rsvp=Rsvp.NO)
        .values_list("person__user_id", flat=True)
    )
    prefs = settings_of(participants)
    due = [
        Due(ReminderKind.MEETING, MEETING_TYPE, meeting.pk, user_id, at, before=meeting.starts_at)
        for user_id in participants
        for offset in prefs[user_id].meeting_offsets or default_meeting_offsets()
        if (at := meeting.starts_at - timedelta(minutes=offset)) > now
    ]
    if not meeting.minutes_approved:
        minutes_due = morning_of(working_days_after(timezone.localdate(meeting.ends_at), 2))
        due.append(
            Due(
                ReminderKind.MINUTES_OVERDUE,
                MEETING_TYPE,
                meeting.pk,
                meeting.organiser_id,
                minutes_due,
            )
        )
    deadline = morning_of(
        timezone.localdate(meeting.starts_at) - timedelta(days=AGENDA_DEADLINE_DAYS)
    )
    if deadline > now and meeting.kind == MeetingKind.REGULAR:
        due.append(
            Due(
                ReminderKind.AGENDA_DEADLINE,
                MEETING_TYPE,
                meeting.pk,
                meeting.organiser_id,
                deadline,
                before=meeting.starts_at,
            )
        )
    return due


@transaction.atomic
def sync_meeting(meeting: Meeting) -> None:
    """Make the meeting's waiting reminders match what it should have now: after it was
    planned, moved, cancelled, or its participants or their answers changed."""
    wanted = meeting_reminders(meeting)
    keys = {(d.kind, d.recipient_id, d.due_at) for d in wanted}
    waiting = Reminder.objects.filter(
        object_type=MEETING_TYPE, object_id=meeting.pk, status=ReminderStatus.PENDING
    )
    stale = [r.pk for r in waiting if (r.kind, r.recipient_id, r.due_at) not in keys]
    Reminder.objects.filter(pk__in=stale).delete()
    schedule(wanted)


def _task_reminders(today: date) -> Iterator[Due]:
    tasks = Task.objects.filter(
        done_at__isnull=True,
        responsible__user__is_active=True,
        due_on=today + timedelta(days=1),
        # A task whose case was erased has no words left to act on.
        decision__item__case_erased_at__isnull=True,
    ).values_list("pk", "responsible__user_id")
    for pk, user_id in tasks:
        yield Due(ReminderKind.TASK_DUE, TASK_TYPE, pk, user_id, morning_of(today))


def _cycle_reminders(today: date) -> Iterator[Due]:
    """The yearly cycle: August, school team leaders without a September planning meeting;
    December, the Følgegruppe's January meeting. (March, the ActionCard review before the
    April forum, is the ActionCard's: `actioncard/reminders.py`.)"""
    if today.month == 8 and today.day >= 15:
        year = school_year_of(today)
        first = date(year, 8, 1)
        teams = Body.objects.filter(kind=BodyKind.SCHOOL_TEAM).exclude(
            pk__in=Meeting.objects.filter(
                kind=MeetingKind.PLANNING,
                status=MeetingStatus.PLANNED,
                starts_at__date__gte=first,
                starts_at__date__lt=date(year + 1, 8, 1),
            ).values("body_id")
        )
        due_at = morning_of(date(year, 8, 15))
        for body_id, users in lead_users(teams).items():
            for user_id in users:
                yield Due(ReminderKind.PLANNING_CYCLE, BODY_TYPE, body_id, user_id, due_at)
    if today.month == 12:
        january = (date(today.year + 1, 1, 1), date(today.year + 1, 2, 1))
        groups = Body.objects.filter(kind=BodyKind.FOELGEGRUPPE).exclude(
            pk__in=Meeting.objects.filter(
                status=MeetingStatus.PLANNED,
                starts_at__date__gte=january[0],
                starts_at__date__lt=january[1],
            ).values("body_id")
        )
        due_at = morning_of(date(today.year, 12, 1))
        for body_id, users in lead_users(groups).items():
            for user_id in users:
                yield Due(ReminderKind.FOLLOW_GROUP_CYCLE, BODY_TYPE, body_id, user_id, due_at)


# What each kind says -------------------------------------------------------------------------


def _meeting_line(reminder: Reminder, meeting: Meeting) -> Line | None:
    if meeting.status != MeetingStatus.PLANNED:
        return None
    text = _("»%(title)s« (%(body)s) begynder %(when)s.") % {
        "title": meeting.title,
        "body": meeting.body.name,
        "when": when(meeting.starts_at),
    }
    return Line(text, absolute(meeting.get_absolute_url()))


def _minutes_line(reminder: Reminder, meeting: Meeting) -> Line | None:
    if meeting.status != MeetingStatus.PLANNED or meeting.minutes_approved:
        return None
    text = _("Referatet af »%(title)s« %(when)s er endnu ikke godkendt.") % {
        "title": meeting.title,
        "when": when(meeting.starts_at),
    }
    return Line(text, absolute(meeting.get_absolute_url()))


def _task_line(reminder: Reminder, task: Task) -> Line | None:
    if task.done_at is not None or task.decision.item.case_erased:
        return None
    # The task's own words may name a young person: the email only points to it.
    text = _("En opgave fra et møde, du er ansvarlig for, har frist %(date)s.") % {
        "date": date_format(task.due_on, "DATE_FORMAT")
    }
    return Line(text, absolute(task.decision.item.meeting.get_absolute_url()))


def _agenda_line(reminder: Reminder, meeting: Meeting) -> Line | None:
    if meeting.status != MeetingStatus.PLANNED:
        return None
    text = _("Send dagsordenen til »%(title)s« %(when)s ud til deltagerne.") % {
        "title": meeting.title,
        "when": when(meeting.starts_at),
    }
    return Line(text, absolute(meeting.get_absolute_url()))


def _planning_line(reminder: Reminder, body: Body) -> Line | None:
    year = school_year_of(timezone.localdate(reminder.due_at))
    text = _("Planlæg septembermødet i %(body)s for skoleåret %(year)s.") % {
        "body": body.name,
        "year": school_year_label(year),
    }
    url = f"{reverse('meetings:year_plan', args=[body.pk])}?aar={year}"
    return Line(text, absolute(url))


def _follow_group_line(reminder: Reminder, body: Body) -> Line | None:
    text = _(
        "Planlæg januarmødet i %(body)s, hvor årets Undervisnings- og Aktivitetsplan godkendes."
    ) % {"body": body.name}
    return Line(text, absolute(reverse("meetings:body_meetings", args=[body.pk])))


def _meetings(pks: Iterable[int]) -> Iterable[Any]:
    return Meeting.objects.select_related("body").filter(pk__in=pks)


def _tasks(pks: Iterable[int]) -> Iterable[Any]:
    return Task.objects.select_related("decision__item__meeting").filter(pk__in=pks)


def _bodies(pks: Iterable[int]) -> Iterable[Any]:
    return Body.objects.filter(pk__in=pks)


def _starts(pks: Iterable[int]) -> dict[int, datetime]:
    """A reminder about a meeting is never held past its start."""
    return dict(Meeting.objects.filter(pk__in=pks).values_list("pk", "starts_at"))


def _replan_meeting_reminders(user: User) -> None:
    """The user's meeting reminders follow their offsets: after they changed them, planned
    anew for every meeting they are reminded of or will attend."""
    waiting = Reminder.objects.filter(
        recipient=user, status=ReminderStatus.PENDING, kind=ReminderKind.MEETING
    )
    meeting_ids = set(waiting.values_list("object_id", flat=True)) | set(
        Participant.objects.filter(
            person__user=user,
            meeting__status=MeetingStatus.PLANNED,
            meeting__starts_at__gt=timezone.now(),
        ).values_list("meeting_id", flat=True)
    )
    waiting.delete()
    for meeting in Meeting.objects.filter(pk__in=meeting_ids):
        sync_meeting(meeting)


def register() -> None:
    """Called from MeetingsConfig.ready."""
    kinds = [
        (ReminderKind.MEETING, MEETING_TYPE, _meetings, _meeting_line),
        (ReminderKind.MINUTES_OVERDUE, MEETING_TYPE, _meetings, _minutes_line),
        (ReminderKind.AGENDA_DEADLINE, MEETING_TYPE, _meetings, _agenda_line),
        (ReminderKind.TASK_DUE, TASK_TYPE, _tasks, _task_line),
        (ReminderKind.PLANNING_CYCLE, BODY_TYPE, _bodies, _planning_line),
        (ReminderKind.FOLLOW_GROUP_CYCLE, BODY_TYPE, _bodies, _follow_group_line),
    ]
    for kind, object_type, load, line in kinds:
        reminder_kind_register(
            kind,
            label=kind.label,
            object_type=object_type,
            load=load,
            line=line,
            before=_starts if object_type == MEETING_TYPE else None,
            replan=_replan_meeting_reminders if kind == ReminderKind.MEETING else None,
        )
    daily_source_register(_task_reminders)
    daily_source_register(_cycle_reminders)
