"""Reminders: kept in PostgreSQL, claimed by a beat task every minute, sent by workers.

A reminder is delivered once:
- Scheduling inserts rows with `ignore_conflicts` on the unique key (kind, object, recipient,
  due time), so scheduling the same reminder twice is a no-op.
- `claim_due` selects due rows `FOR UPDATE SKIP LOCKED` and marks them queued in the same
  transaction; a second dispatcher running at the same moment skips the locked rows and
  afterwards finds them queued. The send tasks are enqueued only after that commit.
- `send` locks its rows, skips those already sent, hands the email to the mail outbox
  (`ssp.notify.mail`) and marks the rows sent in the same transaction, so the outbox takes
  over exactly when the reminder is marked sent. A worker killed mid-task leaves its rows
  queued: the broker hands the message to another worker (`acks_late`, reject on worker
  loss), and if Redis lost the message, the dispatcher claims rows that have stayed queued
  longer than `REMINDER_REQUEUE_AFTER_SECONDS` again.
From there the outbox delivers the email once, retrying while the mail server is away.

Reminders name meetings, bodies and dates, never a young person: a reminder about case work
says only that there is something to do, with a link.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import holidays
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cases.models import Action, Case, CaseStatus
from forum.models import Body, BodyKind, Membership, MembershipRole
from meetings.models import (
    Meeting,
    MeetingKind,
    MeetingStatus,
    Participant,
    Reminder,
    ReminderKind,
    ReminderSettings,
    ReminderStatus,
    Rsvp,
    Task,
    default_meeting_offsets,
    school_year_label,
    school_year_of,
)
from ssp.models import User
from ssp.notify.mail import email_send

MEETING_TYPE = "meetings.meeting"
ACTION_TYPE = "cases.action"
CASE_TYPE = "cases.case"
TASK_TYPE = "meetings.task"
BODY_TYPE = "forum.body"

# The organiser is reminded to send the agenda this many days before, at this time.
AGENDA_DEADLINE_DAYS = 2
MORNING = time(8)
CLAIM_BATCH = 1000
# Reminders handed to one send task; each email still commits on its own.
SEND_BATCH = 50
LEAD_ROLES = (MembershipRole.CHAIR, MembershipRole.COORDINATOR)


# Quiet hours and the daily digest ----------------------------------------------------------


def settings_of(users: Iterable[int]) -> dict[int, ReminderSettings]:
    """Each user's reminder settings, the defaults for those who never changed them."""
    users = list(users)
    found = {s.user_id: s for s in ReminderSettings.objects.filter(user_id__in=users)}
    return {pk: found.get(pk) or ReminderSettings(user_id=pk) for pk in users}


def _in_quiet_hours(moment: time, prefs: ReminderSettings) -> bool:
    start, end = prefs.quiet_from, prefs.quiet_until
    if start == end:
        return False
    if start < end:
        return start <= moment < end
    return moment >= start or moment < end


def _next_at(local: datetime, at: time) -> datetime:
    """The first moment at `at` o'clock from `local` on."""
    candidate = timezone.make_aware(datetime.combine(local.date(), at))
    return candidate if candidate >= local else candidate + timedelta(days=1)


def send_time(
    due_at: datetime, prefs: ReminderSettings, *, before: datetime | None = None
) -> datetime:
    """When to send a reminder due at `due_at`: a digest reader's next morning digest; for
    others, the end of quiet hours if it falls inside them. A reminder is never held past
    `before` (the meeting it is about): then it goes at its due time after all."""
    local = timezone.localtime(due_at)
    if prefs.daily_digest or _in_quiet_hours(local.time(), prefs):
        shifted = _next_at(local, prefs.quiet_until)
    else:
        return due_at
    return due_at if before is not None and shifted >= before else shifted


# Scheduling ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Due:
    kind: str
    object_type: str
    object_id: int
    recipient_id: int
    due_at: datetime
    before: datetime | None = None


def _schedule(due: Iterable[Due]) -> int:
    """Insert reminders that are not there yet; returns how many rows were offered."""
    due = list(due)
    prefs = settings_of({d.recipient_id for d in due})
    rows = [
        Reminder(
            kind=d.kind,
            object_type=d.object_type,
            object_id=d.object_id,
            recipient_id=d.recipient_id,
            due_at=d.due_at,
            send_at=send_time(d.due_at, prefs[d.recipient_id], before=d.before),
        )
        for d in due
    ]
    Reminder.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    return len(rows)


def _morning_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, MORNING))


def working_days_after(day: date, count: int) -> date:
    """The date `count` working days after `day`: weekends and Danish holidays skipped."""
    closed = holidays.country_holidays("DK", years=[day.year, day.year + 1])
    while count:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in closed:
            count -= 1
    return day


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
        minutes_due = _morning_of(working_days_after(timezone.localdate(meeting.ends_at), 2))
        due.append(
            Due(
                ReminderKind.MINUTES_OVERDUE,
                MEETING_TYPE,
                meeting.pk,
                meeting.organiser_id,
                minutes_due,
            )
        )
    deadline = _morning_of(
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
    _schedule(wanted)


def schedule_daily(today: date | None = None) -> int:
    """Run every morning: reminders about case work and the yearly cycle that are due."""
    today = today or timezone.localdate()
    due = [
        *_task_reminders(today),
        *_action_reminders(today),
        *_follow_up_reminders(today),
        *_cycle_reminders(today),
    ]
    return _schedule(due)


def _action_reminders(today: date) -> Iterator[Due]:
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
            yield Due(ReminderKind.ACTION_DUE, ACTION_TYPE, pk, user_id, _morning_of(today))
        elif due_on < today:
            # Once, on the morning after the deadline.
            yield Due(
                ReminderKind.ACTION_OVERDUE,
                ACTION_TYPE,
                pk,
                user_id,
                _morning_of(due_on + timedelta(days=1)),
            )


def _task_reminders(today: date) -> Iterator[Due]:
    tasks = Task.objects.filter(
        done_at__isnull=True,
        responsible__user__is_active=True,
        due_on=today + timedelta(days=1),
    ).values_list("pk", "responsible__user_id")
    for pk, user_id in tasks:
        yield Due(ReminderKind.TASK_DUE, TASK_TYPE, pk, user_id, _morning_of(today))


def _follow_up_reminders(today: date) -> Iterator[Due]:
    cases = Case.objects.filter(
        follow_up_on=today + timedelta(days=1),
        coordinator__is_active=True,
    ).exclude(status=CaseStatus.CLOSED)
    for pk, user_id in cases.values_list("pk", "coordinator_id"):
        yield Due(ReminderKind.FOLLOW_UP_DUE, CASE_TYPE, pk, user_id, _morning_of(today))


def _leads(bodies: Iterable[Body]) -> dict[int, list[int]]:
    """The users who chair or coordinate each body."""
    leads: dict[int, list[int]] = defaultdict(list)
    for body_id, user_id in Membership.objects.filter(
        body__in=list(bodies), role__in=LEAD_ROLES, person__user__is_active=True
    ).values_list("body_id", "person__user_id"):
        leads[body_id].append(user_id)
    return leads


def _cycle_reminders(today: date) -> Iterator[Due]:
    """The yearly cycle: August, school team leaders without a September planning meeting;
    December, the Følgegruppe's January meeting; March, the ActionCard before the April forum."""
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
        due_at = _morning_of(date(year, 8, 15))
        for body_id, users in _leads(teams).items():
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
        due_at = _morning_of(date(today.year, 12, 1))
        for body_id, users in _leads(groups).items():
            for user_id in users:
                yield Due(ReminderKind.FOLLOW_GROUP_CYCLE, BODY_TYPE, body_id, user_id, due_at)
    if today.month == 3:
        forums = Body.objects.filter(kind=BodyKind.SSP_FORUM)
        due_at = _morning_of(date(today.year, 3, 1))
        admins = defaultdict(list)
        for municipality_id, user_id in User.objects.filter(
            is_active=True, affiliations__is_administrator=True
        ).values_list("affiliations__municipality_id", "pk"):
            admins[municipality_id].append(user_id)
        leads = _leads(forums)
        for forum in forums:
            for user_id in {*leads.get(forum.pk, []), *admins.get(forum.municipality_id, [])}:
                yield Due(ReminderKind.ACTIONCARD_CYCLE, BODY_TYPE, forum.pk, user_id, due_at)


# Dispatch and delivery -----------------------------------------------------------------------


def _requeue_after() -> timedelta:
    """A row queued this long without being sent lost its message (its worker died, or Redis
    restarted) and is claimed again."""
    return timedelta(seconds=settings.REMINDER_REQUEUE_AFTER_SECONDS)


@transaction.atomic
def claim_due(now: datetime | None = None, *, limit: int = CLAIM_BATCH) -> list[list[int]]:
    """Claim the reminders due now (and those queued too long ago) and return their ids in
    send batches of about `SEND_BATCH`, each digest reader's reminders in one batch."""
    now = now or timezone.now()
    rows = list(
        Reminder.objects.select_for_update(skip_locked=True)
        .filter(
            Q(status=ReminderStatus.PENDING, send_at__lte=now)
            | Q(status=ReminderStatus.QUEUED, queued_at__lt=now - _requeue_after())
        )
        .order_by("send_at", "pk")
        .values_list("pk", "recipient_id")[:limit]
    )
    if not rows:
        return []
    Reminder.objects.filter(pk__in=[pk for pk, _user in rows]).update(
        status=ReminderStatus.QUEUED, queued_at=now
    )
    batches: list[list[int]] = [[]]
    for group in _groups(rows):
        if batches[-1] and len(batches[-1]) + len(group) > SEND_BATCH:
            batches.append([])
        batches[-1].extend(group)
    return batches


def _groups(rows: list[tuple[int, int]]) -> list[list[int]]:
    """Reminder ids by email: a digest reader's reminders in one, everyone else's one each."""
    digest_readers = set(
        ReminderSettings.objects.filter(
            user_id__in={user for _pk, user in rows}, daily_digest=True
        ).values_list("user_id", flat=True)
    )
    digests: dict[int, list[int]] = defaultdict(list)
    singles = []
    for pk, user_id in rows:
        if user_id in digest_readers:
            digests[user_id].append(pk)
        else:
            singles.append([pk])
    return singles + list(digests.values())


@dataclass(frozen=True)
class Line:
    text: str
    url: str


def _absolute(path: str) -> str:
    return f"{settings.SSP_BASE_URL}{path}"


def _when(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "l j. F Y \\k\\l. H:i")


def _line(reminder: Reminder, objects: dict[tuple[str, int], object]) -> Line | None:
    """What a reminder says, or None when its subject is gone or no longer calls for it."""
    obj = objects.get((reminder.object_type, reminder.object_id))
    if obj is None:
        return None
    kind = reminder.kind
    if kind == ReminderKind.MEETING:
        if obj.status != MeetingStatus.PLANNED:
            return None
        text = _("»%(title)s« (%(body)s) begynder %(when)s.") % {
            "title": obj.title,
            "body": obj.body.name,
            "when": _when(obj.starts_at),
        }
        return Line(text, _absolute(obj.get_absolute_url()))
    if kind == ReminderKind.MINUTES_OVERDUE:
        if obj.status != MeetingStatus.PLANNED or obj.minutes_approved:
            return None
        text = _("Referatet af »%(title)s« %(when)s er endnu ikke godkendt.") % {
            "title": obj.title,
            "when": _when(obj.starts_at),
        }
        return Line(text, _absolute(obj.get_absolute_url()))
    if kind == ReminderKind.TASK_DUE:
        if obj.done_at is not None:
            return None
        # The task's own words may name a young person: the email only points to it.
        text = _("En opgave fra et møde, du er ansvarlig for, har frist %(date)s.") % {
            "date": date_format(obj.due_on, "j. F Y")
        }
        return Line(text, _absolute(obj.decision.item.meeting.get_absolute_url()))
    if kind == ReminderKind.AGENDA_DEADLINE:
        if obj.status != MeetingStatus.PLANNED:
            return None
        text = _("Send dagsordenen til »%(title)s« %(when)s ud til deltagerne.") % {
            "title": obj.title,
            "when": _when(obj.starts_at),
        }
        return Line(text, _absolute(obj.get_absolute_url()))
    if kind in (ReminderKind.ACTION_DUE, ReminderKind.ACTION_OVERDUE):
        if obj.done_on is not None:
            return None
        template = (
            _("En indsats, du er ansvarlig for, har frist %(date)s.")
            if kind == ReminderKind.ACTION_DUE
            else _("En indsats, du er ansvarlig for, har overskredet fristen %(date)s.")
        )
        text = template % {"date": date_format(obj.due_on, "j. F Y")}
        return Line(text, _absolute(reverse("cases:case_detail", args=[obj.case_id])))
    if kind == ReminderKind.FOLLOW_UP_DUE:
        if obj.status == CaseStatus.CLOSED:
            return None
        text = _("En sag, du er tovholder på, skal følges op %(date)s.") % {
            "date": date_format(obj.follow_up_on, "j. F Y")
        }
        return Line(text, _absolute(obj.get_absolute_url()))
    if kind == ReminderKind.PLANNING_CYCLE:
        year = school_year_of(timezone.localdate(reminder.due_at))
        text = _("Planlæg septembermødet i %(body)s for skoleåret %(year)s.") % {
            "body": obj.name,
            "year": school_year_label(year),
        }
        url = f"{reverse('meetings:year_plan', args=[obj.pk])}?aar={year}"
        return Line(text, _absolute(url))
    if kind == ReminderKind.FOLLOW_GROUP_CYCLE:
        text = _(
            "Planlæg januarmødet i %(body)s, hvor årets Undervisnings- og Aktivitetsplan godkendes."
        ) % {"body": obj.name}
        return Line(text, _absolute(reverse("meetings:body_meetings", args=[obj.pk])))
    if kind == ReminderKind.ACTIONCARD_CYCLE:
        text = _("Gennemgå kommunens SSP-ActionCard, før %(body)s mødes i april.") % {
            "body": obj.name
        }
        return Line(text, _absolute(reverse("meetings:body_meetings", args=[obj.pk])))
    return None


def _objects(reminders: list[Reminder]) -> dict[tuple[str, int], object]:
    ids: dict[str, set[int]] = defaultdict(set)
    for reminder in reminders:
        ids[reminder.object_type].add(reminder.object_id)
    querysets = {
        MEETING_TYPE: Meeting.objects.select_related("body"),
        ACTION_TYPE: Action.objects.all(),
        TASK_TYPE: Task.objects.select_related("decision__item__meeting"),
        CASE_TYPE: Case.objects.all(),
        BODY_TYPE: Body.objects.all(),
    }
    objects: dict[tuple[str, int], object] = {}
    for object_type, pks in ids.items():
        queryset = querysets.get(object_type)
        if queryset is not None:
            for obj in queryset.filter(pk__in=pks):
                objects[(object_type, obj.pk)] = obj
    return objects


def send(ids: list[int]) -> int:
    """Send a batch of claimed reminders; returns how many went out. Each email is queued in
    the mail outbox and its rows marked sent in a transaction of its own, so a worker killed
    mid-batch queues no email twice. Safe to run twice: rows already sent are skipped, and
    rows another worker is sending right now are left to it."""
    batch = list(
        Reminder.objects.filter(pk__in=ids, status=ReminderStatus.QUEUED)
        .select_related("recipient")
        .order_by("send_at", "pk")
    )
    objects = _objects(batch)
    by_id = {reminder.pk: reminder for reminder in batch}
    groups = _groups([(reminder.pk, reminder.recipient_id) for reminder in batch])
    return sum(_send_one_email([by_id[pk] for pk in group], objects) for group in groups)


@transaction.atomic
def _send_one_email(reminders: list[Reminder], objects: dict[tuple[str, int], object]) -> int:
    """One email to one recipient about one or (for a digest) several reminders."""
    locked = set(
        Reminder.objects.select_for_update(skip_locked=True)
        .filter(pk__in=[r.pk for r in reminders], status=ReminderStatus.QUEUED)
        .values_list("pk", flat=True)
    )
    reminders = [r for r in reminders if r.pk in locked]
    if not reminders:
        return 0
    recipient = reminders[0].recipient
    lines = [(r, _line(r, objects) if recipient.is_active else None) for r in reminders]
    kept = [(reminder, line) for reminder, line in lines if line is not None]
    dropped = [reminder.pk for reminder, line in lines if line is None]
    if kept:
        with translation.override(settings.LANGUAGE_CODE):
            subject = (
                kept[0][0].get_kind_display()
                if len(kept) == 1
                else _("Dine påmindelser (%(count)s)") % {"count": len(kept)}
            )
            body = render_to_string(
                "meetings/email/reminders.txt",
                {"lines": [line for _r, line in kept], "site_name": settings.SSP_SITE_NAME},
            )
        email_send(to=[recipient.email], subject=f"{settings.SSP_SITE_NAME}: {subject}", body=body)
    Reminder.objects.filter(pk__in=[r.pk for r, _line in kept]).update(
        status=ReminderStatus.SENT, sent_at=timezone.now()
    )
    Reminder.objects.filter(pk__in=dropped).update(status=ReminderStatus.CANCELLED)
    return len(kept)


@transaction.atomic
def settings_update(
    *,
    user: User,
    meeting_offsets: list[int],
    quiet_from: time,
    quiet_until: time,
    daily_digest: bool,
) -> ReminderSettings:
    """Save a user's reminder choices and re-plan their waiting reminders by them."""
    prefs, _created = ReminderSettings.objects.get_or_create(user=user)
    prefs.meeting_offsets = sorted(set(meeting_offsets), reverse=True)
    prefs.quiet_from = quiet_from
    prefs.quiet_until = quiet_until
    prefs.daily_digest = daily_digest
    prefs.full_clean()
    prefs.save()
    waiting = Reminder.objects.filter(recipient=user, status=ReminderStatus.PENDING)
    meeting_ids = set(
        waiting.filter(kind=ReminderKind.MEETING).values_list("object_id", flat=True)
    ) | set(
        Participant.objects.filter(
            person__user=user,
            meeting__status=MeetingStatus.PLANNED,
            meeting__starts_at__gt=timezone.now(),
        ).values_list("meeting_id", flat=True)
    )
    waiting.filter(kind=ReminderKind.MEETING).delete()
    for meeting in Meeting.objects.filter(pk__in=meeting_ids):
        sync_meeting(meeting)
    others = list(waiting.exclude(kind=ReminderKind.MEETING))
    about_meetings = {r.object_id for r in others if r.object_type == MEETING_TYPE}
    starts = dict(Meeting.objects.filter(pk__in=about_meetings).values_list("pk", "starts_at"))
    for reminder in others:
        before = starts.get(reminder.object_id) if reminder.object_type == MEETING_TYPE else None
        reminder.send_at = send_time(reminder.due_at, prefs, before=before)
        reminder.save(update_fields=["send_at"])
    return prefs
