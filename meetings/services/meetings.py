"""Every write to meetings, agendas, series and calendar feeds.

Each service runs in one transaction, checks its own rules (the views check who may call
it), and tells participants by email after the transaction commits.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import PurePosixPath

import filetype
import holidays
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Max
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cases import services as case_services
from cases.models import Case, CaseEventKind
from cases.permissions import cases_visible_to
from forum.models import Body, BodyKind, Membership, Municipality, Person
from meetings import minutes, notifications, reminders
from meetings.models import (
    SCHOOL_YEAR_FIRST_MONTH,
    Activity,
    ActivityPlanApproval,
    AgendaAttachment,
    AgendaItem,
    CalendarFeed,
    Decision,
    Meeting,
    MeetingKind,
    MeetingSeries,
    MeetingStatus,
    Participant,
    Rsvp,
    SchoolYearPlan,
    StandingAgendaItem,
    Task,
    school_year_label,
    school_year_of,
)
from ssp.models import User

SECTION_115_CRITERIA = case_services.SHARE_CRITERIA


def _check_times(starts_at: datetime, ends_at: datetime) -> None:
    errors: dict[str, list[str]] = {}
    if ends_at <= starts_at:
        errors["ends_at"] = [_("Mødet skal slutte efter, det begynder.")]
    if starts_at < timezone.now():
        errors["starts_at"] = [_("Mødet kan ikke ligge i fortiden.")]
    elif ends_at - starts_at > timedelta(hours=24):
        errors["ends_at"] = [_("Et møde kan højst vare et døgn.")]
    if errors:
        raise ValidationError(errors)


def _check_open(meeting: Meeting) -> None:
    if meeting.is_cancelled:
        raise ValidationError(_("Mødet er aflyst og kan ikke ændres."))
    if meeting.minutes_approved:
        raise ValidationError(_("Mødets referat er godkendt, så mødet kan ikke ændres."))


def _members_of(body: Body) -> list[Person]:
    return [m.person for m in Membership.objects.filter(body=body).select_related("person")]


def _participants(meeting: Meeting) -> list[Participant]:
    return list(meeting.participants.select_related("person", "person__user"))


@transaction.atomic
def meeting_create(
    *,
    body: Body,
    organiser: User,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    location: str = "",
    online_url: str = "",
    kind: str = MeetingKind.REGULAR,
    guests: Iterable[Person] = (),
    notify: bool = True,
) -> Meeting:
    """Plan a meeting of a body: its members and the guests are invited, and the body's
    standing items open the agenda."""
    _check_times(starts_at, ends_at)
    meeting = Meeting.objects.create(
        body=body,
        organiser=organiser,
        title=title.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        location=location.strip(),
        online_url=online_url,
        kind=kind,
    )
    _invite(meeting, guests)
    reminders.sync_meeting(meeting)
    if notify:
        notifications.meeting_changed(meeting, _participants(meeting))
    return meeting


def _invite(meeting: Meeting, guests: Iterable[Person]) -> None:
    members = _members_of(meeting.body)
    member_ids = {p.pk for p in members}
    guests = [g for g in guests if g.pk not in member_ids]
    for guest in guests:
        _check_guest(meeting, guest)
    Participant.objects.bulk_create(
        [Participant(meeting=meeting, person=p) for p in members]
        + [Participant(meeting=meeting, person=p, is_guest=True) for p in guests]
    )
    AgendaItem.objects.bulk_create(
        [
            AgendaItem(
                meeting=meeting, position=index, title=item.title, created_by=meeting.organiser
            )
            for index, item in enumerate(meeting.body.standing_items.all(), start=1)
        ]
    )


def _check_guest(meeting: Meeting, person: Person) -> None:
    body = meeting.body
    if body.municipality_id is not None:
        if person.municipality_id != body.municipality_id:
            raise ValidationError({"person": [_("Gæsten skal høre til organets kommune.")]})
    elif person.municipality.police_district_id != body.police_district_id:
        raise ValidationError({"person": [_("Gæsten skal høre til politikredsens kommuner.")]})


@transaction.atomic
def meeting_update(
    *,
    meeting: Meeting,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    location: str = "",
    online_url: str = "",
) -> Meeting:
    """Change or move a meeting; participants get the updated invitation."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _check_open(meeting)
    moved = (starts_at, ends_at) != (meeting.starts_at, meeting.ends_at)
    if moved:
        _check_times(starts_at, ends_at)
    elif meeting.ends_at < timezone.now():
        raise ValidationError(_("Mødet er holdt og kan ikke ændres."))
    meeting.title = title.strip()
    meeting.starts_at = starts_at
    meeting.ends_at = ends_at
    meeting.location = location.strip()
    meeting.online_url = online_url
    meeting.sequence = F("sequence") + 1
    meeting.save()
    meeting.refresh_from_db()
    reminders.sync_meeting(meeting)
    notifications.meeting_changed(meeting, _participants(meeting))
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, reason: str) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _check_open(meeting)
    if meeting.ends_at < timezone.now():
        raise ValidationError(_("Mødet er holdt og kan ikke aflyses."))
    if not reason.strip():
        raise ValidationError({"reason": [_("Skriv, hvorfor mødet aflyses.")]})
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancel_reason = reason.strip()
    meeting.sequence = F("sequence") + 1
    meeting.save()
    meeting.refresh_from_db()
    reminders.sync_meeting(meeting)
    notifications.meeting_cancelled(meeting, _participants(meeting))
    return meeting


@transaction.atomic
def guest_add(*, meeting: Meeting, person: Person) -> Participant:
    _check_open(meeting)
    _check_guest(meeting, person)
    if meeting.participants.filter(person=person).exists():
        raise ValidationError({"person": [_("Personen er allerede inviteret.")]})
    participant = Participant.objects.create(meeting=meeting, person=person, is_guest=True)
    reminders.sync_meeting(meeting)
    notifications.meeting_changed(meeting, [participant])
    return participant


@transaction.atomic
def rsvp_set(*, meeting: Meeting, user: User, answer: str) -> Participant:
    """A participant answers whether they come."""
    if answer not in Rsvp.values:
        raise ValidationError({"rsvp": [_("Vælg et svar.")]})
    if meeting.is_cancelled:
        raise ValidationError(_("Mødet er aflyst; der er ikke noget at svare på."))
    if meeting.ends_at < timezone.now():
        raise ValidationError(_("Mødet er holdt; det er for sent at svare."))
    participant = meeting.participants.filter(person__user=user).first()
    if participant is None:
        raise ValidationError(_("Du er ikke inviteret til mødet."))
    participant.rsvp = answer
    participant.rsvp_at = timezone.now()
    participant.save(update_fields=["rsvp", "rsvp_at"])
    reminders.sync_meeting(meeting)
    return participant


@transaction.atomic
def attendance_record(*, meeting: Meeting, present: Iterable[int]) -> int:
    """Take attendance: `present` are the ids of the participants who came. Returns how many
    came."""
    if meeting.is_cancelled:
        raise ValidationError(_("Mødet er aflyst."))
    if meeting.starts_at > timezone.now() + timedelta(hours=1):
        raise ValidationError(_("Fremmøde registreres, når mødet holdes."))
    present = set(present)
    unknown = present - set(meeting.participants.values_list("pk", flat=True))
    if unknown:
        raise ValidationError(_("Kun mødets deltagere kan registreres som mødt."))
    meeting.participants.exclude(pk__in=present).update(attended=False)
    return meeting.participants.filter(pk__in=present).update(attended=True)


@transaction.atomic
def agenda_item_add(
    *,
    meeting: Meeting,
    by: User,
    title: str,
    description: str = "",
    case: Case | None = None,
    purpose: str = "",
    criteria: dict[str, bool] | None = None,
) -> AgendaItem:
    """Add an item at the end of the agenda. A case goes on the agenda only when the user may
    see it and has confirmed the three §115 criteria for sharing it with the participants."""
    meeting = Meeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)
    _check_open(meeting)
    confirmed_at = None
    if case is not None:
        errors: dict[str, list[str]] = {}
        if not cases_visible_to(by).filter(pk=case.pk).exists():
            errors["case"] = [_("Du kan ikke sætte en sag på, som du ikke selv har adgang til.")]
        elif case.municipality_id != meeting.body.municipality_id:
            errors["case"] = [_("Sagen hører til en anden kommune end organet.")]
        if not all((criteria or {}).get(name) for name in SECTION_115_CRITERIA):
            errors["__all__"] = [
                _("Bekræft alle tre betingelser efter §115, før sagen sættes på dagsordenen.")
            ]
        if not purpose.strip():
            errors["purpose"] = [_("Skriv formålet med at drøfte sagen.")]
        if errors:
            raise ValidationError(errors)
        confirmed_at = timezone.now()
    last = meeting.agenda_items.aggregate(last=Max("position"))["last"] or 0
    item = AgendaItem.objects.create(
        meeting=meeting,
        position=last + 1,
        title=title.strip(),
        description=description.strip(),
        case=case,
        purpose=purpose.strip(),
        criteria_confirmed_by=by if case is not None else None,
        criteria_confirmed_at=confirmed_at,
        created_by=by,
    )
    if case is not None:
        case_services.case_event_add(
            case=case,
            kind=CaseEventKind.MEETING,
            actor=by,
            text=f"{meeting.title}, {timezone.localtime(meeting.starts_at):%d.%m.%Y}",
        )
    return item


@transaction.atomic
def agenda_item_move(*, item: AgendaItem, offset: int) -> None:
    """Move an item up (-1) or down (+1) by swapping it with its neighbour."""
    _check_open(item.meeting)
    items = list(item.meeting.agenda_items.select_for_update().order_by("position", "pk"))
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index + offset
    if not 0 <= target < len(items):
        return
    items[index], items[target] = items[target], items[index]
    for position, other in enumerate(items, start=1):
        other.position = position
    AgendaItem.objects.bulk_update(items, ["position"])


@transaction.atomic
def agenda_item_remove(*, item: AgendaItem) -> None:
    _check_open(item.meeting)
    meeting = item.meeting
    item.delete()
    items = list(meeting.agenda_items.select_for_update().order_by("position", "pk"))
    for position, other in enumerate(items, start=1):
        other.position = position
    AgendaItem.objects.bulk_update(items, ["position"])


@transaction.atomic
def standing_item_add(*, body: Body, title: str) -> StandingAgendaItem:
    """An item that will open every meeting of the body planned from now on."""
    title = title.strip()
    if not title:
        raise ValidationError({"title": [_("Skriv punktets titel.")]})
    if body.standing_items.filter(title__iexact=title).exists():
        raise ValidationError({"title": [_("Organet har allerede det faste punkt.")]})
    last = body.standing_items.aggregate(last=Max("position"))["last"] or 0
    return StandingAgendaItem.objects.create(body=body, title=title, position=last + 1)


@transaction.atomic
def standing_item_remove(*, item: StandingAgendaItem) -> None:
    item.delete()


# Recurring series ---------------------------------------------------------------------------


def danish_holidays(first: date, last: date) -> set[date]:
    """Danish public holidays (helligdage) between two dates, both included."""
    days = holidays.country_holidays("DK", years=range(first.year, last.year + 1))
    return {day for day in days if first <= day <= last}


def series_dates(series: MeetingSeries, until: date) -> list[date]:
    """The dates the series gives up to `until` (and its last date), holidays skipped."""
    last = min(until, series.last_date) if series.last_date else until
    if last < series.first_date:
        return []
    step = timedelta(weeks=series.interval_weeks)
    dates = []
    day = series.first_date
    while day <= last:
        dates.append(day)
        day += step
    if series.skip_holidays:
        closed = danish_holidays(series.first_date, last)
        dates = [day for day in dates if day not in closed]
    return dates


def _aware(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


@transaction.atomic
def series_create(
    *,
    body: Body,
    organiser: User,
    title: str,
    first_date: date,
    start_time: time,
    end_time: time,
    interval_weeks: int = 1,
    last_date: date | None = None,
    location: str = "",
    online_url: str = "",
    skip_holidays: bool = True,
    notify: bool = True,
) -> MeetingSeries:
    errors: dict[str, list[str]] = {}
    if end_time <= start_time:
        errors["end_time"] = [_("Møderne skal slutte efter, de begynder.")]
    if _aware(first_date, start_time) < timezone.now():
        errors["first_date"] = [_("Serien kan ikke begynde i fortiden.")]
    elif first_date > timezone.localdate() + MAX_PLANNED_AHEAD:
        errors["first_date"] = [_("Serien kan højst begynde halvandet år frem.")]
    if last_date is not None and last_date < first_date:
        errors["last_date"] = [_("Sidste dato skal ligge efter første dato.")]
    if not 1 <= interval_weeks <= 52:
        errors["interval_weeks"] = [_("Vælg et interval mellem 1 og 52 uger.")]
    if errors:
        raise ValidationError(errors)
    series = MeetingSeries.objects.create(
        body=body,
        organiser=organiser,
        title=title.strip(),
        first_date=first_date,
        last_date=last_date,
        interval_weeks=interval_weeks,
        start_time=start_time,
        end_time=end_time,
        location=location.strip(),
        online_url=online_url,
        skip_holidays=skip_holidays,
    )
    if not series_extend(series, notify=notify):
        raise ValidationError(
            {"first_date": [_("Serien giver ingen møder: alle datoer er helligdage.")]}
        )
    return series


# A series with a last date (a school year's, say) is planned to its end, at most this far.
MAX_PLANNED_AHEAD = timedelta(days=550)


def series_horizon() -> date:
    return timezone.localdate() + timedelta(days=settings.MEETING_SERIES_HORIZON_DAYS)


def _generate_until(series: MeetingSeries) -> date:
    if series.last_date is None:
        return series_horizon()
    return min(series.last_date, timezone.localdate() + MAX_PLANNED_AHEAD)


@transaction.atomic
def series_extend(
    series: MeetingSeries, until: date | None = None, *, notify: bool = True
) -> list[Meeting]:
    """Generate the series' occurrences that do not exist yet, up to the horizon, and invite
    the body's members to them. Occurrences already there (moved or cancelled ones included)
    are left as they are."""
    if series.ended_at is not None:
        return []
    until = until or _generate_until(series)
    existing = set(series.meetings.values_list("series_date", flat=True))
    now = timezone.now()
    created = []
    for day in series_dates(series, until):
        starts_at = _aware(day, series.start_time)
        if day in existing or starts_at < now:
            continue
        meeting = Meeting.objects.create(
            body=series.body,
            organiser=series.organiser,
            series=series,
            series_date=day,
            title=series.title,
            starts_at=starts_at,
            ends_at=_aware(day, series.end_time),
            location=series.location,
            online_url=series.online_url,
        )
        _invite(meeting, ())
        reminders.sync_meeting(meeting)
        created.append(meeting)
    if notify:
        notifications.series_planned(series, created)
    return created


@transaction.atomic
def series_end(*, series: MeetingSeries, after: date) -> int:
    """End a series: its occurrences after `after` are cancelled, and no more are made."""
    series = MeetingSeries.objects.select_for_update().get(pk=series.pk)
    series.last_date = max(after, series.first_date)
    series.ended_at = timezone.now()
    series.save(update_fields=["last_date", "ended_at"])
    upcoming = series.meetings.filter(
        series_date__gt=after, status=MeetingStatus.PLANNED, starts_at__gt=timezone.now()
    )
    cancelled = 0
    for meeting in upcoming:
        meeting_cancel(meeting=meeting, reason=_("Mødeserien er afsluttet."))
        cancelled += 1
    return cancelled


# Calendar feeds -----------------------------------------------------------------------------


@transaction.atomic
def feed_create(*, user: User) -> str:
    """A new secret feed URL token for the user; any earlier one stops working."""
    feed_revoke(user=user)
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.create(user=user, token_hash=CalendarFeed.hash_token(token))
    return token


@transaction.atomic
def feed_revoke(*, user: User) -> int:
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


# The school year: September planning and the year plan -------------------------------------


PLANNING_MONTH = 9
MIN_YEAR_PLAN_MEETINGS = 4


@dataclass(frozen=True)
class Busy:
    """A member's other meeting: when, and who is busy. The meeting itself is not named,
    since it may belong to a body the planner cannot see."""

    starts_at: datetime
    ends_at: datetime
    people: tuple[str, ...]


def school_year_bounds(school_year: int) -> tuple[date, date]:
    return date(school_year, SCHOOL_YEAR_FIRST_MONTH, 1), date(
        school_year + 1, SCHOOL_YEAR_FIRST_MONTH, 1
    ) - timedelta(days=1)


def planning_meeting_of(body: Body, school_year: int) -> Meeting | None:
    first, last = school_year_bounds(school_year)
    return (
        Meeting.objects.filter(
            body=body,
            kind=MeetingKind.PLANNING,
            status=MeetingStatus.PLANNED,
            starts_at__date__gte=first,
            starts_at__date__lte=last,
        )
        .order_by("starts_at")
        .first()
    )


def member_conflicts(body: Body, first: date, last: date) -> list[Busy]:
    """The other meetings the body's members are invited to between two dates."""
    members = Membership.objects.filter(body=body).values("person_id")
    rows = (
        Participant.objects.filter(
            person_id__in=members,
            meeting__status=MeetingStatus.PLANNED,
            meeting__starts_at__date__gte=first,
            meeting__starts_at__date__lte=last,
        )
        .exclude(meeting__body=body)
        .select_related("meeting", "person")
        .order_by("meeting__starts_at", "person__full_name")
    )
    busy: dict[int, Busy] = {}
    for row in rows:
        meeting = row.meeting
        known = busy.get(meeting.pk)
        people = (*known.people, row.person.full_name) if known else (row.person.full_name,)
        busy[meeting.pk] = Busy(meeting.starts_at, meeting.ends_at, people)
    return sorted(busy.values(), key=lambda b: b.starts_at)


def _check_school_team(body: Body) -> None:
    if body.kind != BodyKind.SCHOOL_TEAM:
        raise ValidationError(_("Kun skolernes SSP-teams har en årsplan."))


@transaction.atomic
def planning_meeting_schedule(
    *,
    body: Body,
    organiser: User,
    starts_at: datetime,
    ends_at: datetime,
    title: str,
    location: str = "",
    online_url: str = "",
) -> Meeting:
    """Schedule a school team's September planning meeting for the school year it opens."""
    _check_school_team(body)
    if timezone.localtime(starts_at).month != PLANNING_MONTH:
        raise ValidationError({"starts_at": [_("Planlægningsmødet skal ligge i september.")]})
    school_year = school_year_of(timezone.localdate(starts_at))
    Body.objects.select_for_update().filter(pk=body.pk).first()  # one planner at a time
    if planning_meeting_of(body, school_year) is not None:
        raise ValidationError(
            _("Teamet har allerede et planlægningsmøde i %(year)s. Flyt det i stedet.")
            % {"year": school_year_label(school_year)}
        )
    return meeting_create(
        body=body,
        organiser=organiser,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        location=location,
        online_url=online_url,
        kind=MeetingKind.PLANNING,
    )


@dataclass(frozen=True)
class NewActivity:
    kind: str
    title: str
    planned_on: date
    grade: str = ""
    responsible: Person | None = None


@transaction.atomic
def year_plan_create(
    *,
    body: Body,
    by: User,
    school_year: int,
    title: str,
    first_date: date,
    last_date: date,
    interval_weeks: int,
    start_time: time,
    end_time: time,
    activities: Iterable[NewActivity],
    location: str = "",
    online_url: str = "",
) -> SchoolYearPlan:
    """Agree the school year at the planning meeting: the year's meeting series (at least
    four meetings, holidays skipped) and the activities of the year wheel, all or nothing."""
    _check_school_team(body)
    Body.objects.select_for_update().filter(pk=body.pk).first()
    label = school_year_label(school_year)
    planning = planning_meeting_of(body, school_year)
    if planning is None:
        raise ValidationError(
            _("Planlæg septembermødet for %(year)s, før årets plan lægges.") % {"year": label}
        )
    if SchoolYearPlan.objects.filter(body=body, school_year=school_year).exists():
        raise ValidationError(_("Teamet har allerede en plan for %(year)s.") % {"year": label})
    year_first, year_last = school_year_bounds(school_year)
    errors: dict[str, list[str]] = {}
    if not year_first <= first_date <= year_last:
        errors["first_date"] = [_("Datoen skal ligge i skoleåret %(year)s.") % {"year": label}]
    if not year_first <= last_date <= year_last:
        errors["last_date"] = [_("Datoen skal ligge i skoleåret %(year)s.") % {"year": label}]
    activities = list(activities)
    outside = [a.title for a in activities if not year_first <= a.planned_on <= year_last]
    if outside:
        errors["activities"] = [
            _("Disse aktiviteter ligger uden for skoleåret: %(titles)s")
            % {"titles": ", ".join(outside)}
        ]
    strangers = [
        a.title
        for a in activities
        if a.responsible is not None and a.responsible.municipality_id != body.municipality_id
    ]
    if strangers:
        errors["activities"] = [_("Den ansvarlige skal høre til skolens kommune.")]
    if errors:
        raise ValidationError(errors)
    series = series_create(
        body=body,
        organiser=by,
        title=title,
        first_date=first_date,
        last_date=last_date,
        interval_weeks=interval_weeks,
        start_time=start_time,
        end_time=end_time,
        location=location,
        online_url=online_url,
    )
    held = series.meetings.count()
    if held < MIN_YEAR_PLAN_MEETINGS:
        message = ngettext(
            "Planen giver kun %(count)s møde; et SSP-team mødes mindst %(minimum)s gange om "
            "året. Vælg et kortere interval eller en senere sidste dato.",
            "Planen giver kun %(count)s møder; et SSP-team mødes mindst %(minimum)s gange om "
            "året. Vælg et kortere interval eller en senere sidste dato.",
            held,
        ) % {"count": held, "minimum": MIN_YEAR_PLAN_MEETINGS}
        raise ValidationError({"interval_weeks": [message]})
    plan = SchoolYearPlan.objects.create(
        body=body,
        school_year=school_year,
        planning_meeting=planning,
        series=series,
        created_by=by,
    )
    Activity.objects.bulk_create(
        [
            Activity(
                plan=plan,
                kind=a.kind,
                title=a.title.strip(),
                grade=a.grade.strip(),
                planned_on=a.planned_on,
                responsible=a.responsible,
            )
            for a in activities
        ]
    )
    return plan


@transaction.atomic
def activity_mark_done(*, activity: Activity) -> Activity:
    if activity.done_at is None:
        activity.done_at = timezone.now()
        activity.save(update_fields=["done_at"])
    return activity


# Minutes, decisions and tasks ----------------------------------------------------------------


def _check_minutes_open(meeting: Meeting) -> None:
    if meeting.minutes_approved:
        raise ValidationError(_("Referatet er godkendt og kan ikke ændres."))
    _check_open(meeting)
    if meeting.starts_at > timezone.now():
        raise ValidationError(_("Referatet skrives, når mødet er begyndt."))


@transaction.atomic
def minutes_write(*, meeting: Meeting, texts: dict[int, str]) -> int:
    """Save the minutes of the agenda items given (item id → text), sanitised."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _check_minutes_open(meeting)
    items = list(meeting.agenda_items.filter(pk__in=texts))
    if len(items) != len(texts):
        raise ValidationError(_("Et af punkterne hører ikke til mødet."))
    for item in items:
        item.minutes = minutes.clean(texts[item.pk])
    AgendaItem.objects.bulk_update(items, ["minutes"])
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
    if task_title.strip():
        Task.objects.create(
            decision=decision, title=task_title.strip(), responsible=responsible, due_on=due_on
        )
    if sharing:
        case_services.case_share(
            case=item.case,
            by=by,
            purpose=share_purpose,
            criteria=criteria or {},
            body=share_with_body,
            user=share_with_user,
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
    notifications.minutes_approved(meeting, _participants(meeting))
    return meeting


@transaction.atomic
def task_mark_done(*, task: Task) -> Task:
    if task.done_at is None:
        task.done_at = timezone.now()
        task.save(update_fields=["done_at"])
    return task


@transaction.atomic
def activity_plan_approve(
    *, municipality: Municipality, school_year: int, meeting: Meeting, by: User, note: str = ""
) -> ActivityPlanApproval:
    """Record that the SSP-Følgegruppe approved the municipality's teaching and activity plan
    for a school year at one of its meetings."""
    label = school_year_label(school_year)
    first, last = school_year_bounds(school_year)
    errors: dict[str, list[str]] = {}
    if meeting.body.kind != BodyKind.FOELGEGRUPPE or meeting.body.municipality_id != (
        municipality.pk
    ):
        errors["meeting"] = [_("Planen godkendes på et møde i kommunens SSP-Følgegruppe.")]
    elif meeting.is_cancelled:
        errors["meeting"] = [_("Mødet er aflyst.")]
    elif not first <= timezone.localdate(meeting.starts_at) <= last:
        errors["meeting"] = [_("Mødet skal ligge i skoleåret %(year)s.") % {"year": label}]
    if not SchoolYearPlan.objects.filter(
        body__municipality=municipality, school_year=school_year
    ).exists():
        errors["__all__"] = [
            _("Ingen skoler har lagt en plan for %(year)s endnu.") % {"year": label}
        ]
    if ActivityPlanApproval.objects.filter(
        municipality=municipality, school_year=school_year
    ).exists():
        errors["__all__"] = [_("Planen for %(year)s er allerede godkendt.") % {"year": label}]
    if errors:
        raise ValidationError(errors)
    return ActivityPlanApproval.objects.create(
        municipality=municipality,
        school_year=school_year,
        meeting=meeting,
        note=note.strip(),
        approved_by=by,
    )


# Agenda attachments --------------------------------------------------------------------------

# What may be attached, recognised by the file's content (its first bytes), not its name.
ATTACHMENT_TYPES = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "image/png": "png",
    "image/jpeg": "jpg",
}


def _safe_file_name(name: str) -> str:
    name = PurePosixPath(name.replace("\\", "/")).name
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '"<>')
    return name.strip()[:200] or "bilag"


@transaction.atomic
def attachment_add(*, item: AgendaItem, by: User, upload: UploadedFile) -> AgendaAttachment:
    """Attach a file to an agenda item after checking its size and, by content, its type."""
    _check_open(item.meeting)
    if upload.size > settings.ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            {
                "file": [
                    _("Filen er for stor. Den må højst fylde %(size)s.")
                    % {"size": filesizeformat(settings.ATTACHMENT_MAX_BYTES)}
                ]
            }
        )
    upload.seek(0)
    kind = filetype.guess(upload.read(8192))
    upload.seek(0)
    if kind is None or kind.mime not in ATTACHMENT_TYPES:
        raise ValidationError(
            {
                "file": [
                    _(
                        "Filtypen kan ikke vedhæftes. Brug PDF, Word, Excel, PowerPoint, "
                        "OpenDocument, PNG eller JPEG."
                    )
                ]
            }
        )
    attachment = AgendaAttachment(
        item=item,
        original_name=_safe_file_name(upload.name or ""),
        content_type=kind.mime,
        size=upload.size,
        uploaded_by=by,
    )
    attachment.file.save("upload", upload, save=False)
    try:
        attachment.save()
    except Exception:
        # The row did not make it: the stored file must not stay behind without it.
        attachment.file.storage.delete(attachment.file.name)
        raise
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: AgendaAttachment) -> None:
    _check_open(attachment.item.meeting)
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))
