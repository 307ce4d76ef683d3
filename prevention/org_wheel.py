"""Reads for the organisation's year wheel and the consultant's readiness board.

Both ask the rhythm table (`prevention.rhythm`) what each kind of body is expected to do, and
answer from a bounded number of queries whatever the number of bodies, meetings and
activities: the bodies, the meetings, the school teams' plans (`meetings.selectors`, which
tells whether a team has a `SchoolYearPlan`), and one query per check registered by an app
above (the ActionCard).

The board is the consultant's and is computed from all of the municipality's meetings; the
wheel is read by every member of its bodies and places only the meetings and activities the
reader may see (`meetings_visible_to`, `activities_visible_to`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from forum.models import Body, Municipality
from forum.permissions import bodies_visible_to
from meetings.dates import school_year_label, school_year_of
from meetings.models import Meeting, MeetingSeries, MeetingStatus
from meetings.permissions import meetings_visible_to
from meetings.selectors import school_year_overview
from prevention.models import Activity
from prevention.permissions import NO_PREVENTION_KINDS, activities_visible_to
from prevention.rhythm import (
    Check,
    Readiness,
    RhythmItem,
    State,
    month_end,
    month_start,
    occurrence,
    registered_check,
    rhythm,
)
from ssp.models import User

# The weekly items look this many weeks ahead on the board.
WEEKS_AHEAD = 4


@dataclass(frozen=True)
class BoardLine:
    """One line of the readiness board: an expected item (of one body, or of all bodies of
    its kind), the first day of the month it falls in, and whether it is ready."""

    item: RhythmItem
    body: Body | None
    due: date
    state: str
    text: str
    url: str

    @property
    def ready(self) -> bool:
        return self.state == State.READY

    @property
    def state_label(self) -> str:
        return str(State(self.state).label)

    def days_left(self, today: date) -> int:
        return (self.due - today).days


def _mondays(first: date, last: date) -> list[date]:
    """The Mondays from `first` to `last`: the weeks beginning in that span."""
    monday = first + timedelta(days=-first.weekday() % 7)
    weeks = []
    while monday <= last:
        weeks.append(monday)
        monday += timedelta(weeks=1)
    return weeks


def _weeks_of(days: Iterable[date]) -> int:
    """In how many different weeks the days fall."""
    return len({day - timedelta(days=day.weekday()) for day in days})


def _state(done: int, wanted: int) -> str:
    if wanted and done >= wanted:
        return State.READY
    return State.STARTED if done else State.MISSING


def _month_label(day: date) -> str:
    return date_format(day, "YEAR_MONTH_FORMAT")


def _meeting_readiness(
    item: RhythmItem, body: Body, meetings: list[Meeting], due: date
) -> Readiness:
    if meetings:
        meeting = meetings[0]
        text = _("%(body)s: %(item)s er booket %(date)s.") % {
            "body": body.name,
            "item": item.label,
            "date": date_format(meeting.starts_at.date(), "DATE_FORMAT"),
        }
        return Readiness(State.READY, text, meeting.get_absolute_url())
    values = {"body": body.name, "item": item.label, "month": _month_label(due)}
    if month_end(due.year, due.month) < timezone.localdate():
        text = _("%(body)s: intet møde i %(month)s.") % values
    else:
        text = _("%(body)s: %(item)s i %(month)s er ikke booket.") % values
    return Readiness(State.MISSING, text, reverse("meetings:meeting_create", args=[body.pk]))


def _weekly_readiness(body: Body, covered: int, weeks: int, *, ahead: bool) -> Readiness:
    covered = min(covered, weeks)
    values = {"body": body.name, "covered": covered, "weeks": weeks}
    if ahead:
        text = _("%(body)s: møder booket i %(covered)s af de næste %(weeks)s uger.") % values
    else:
        text = _("%(body)s: møder i %(covered)s af månedens %(weeks)s uger.") % values
    return Readiness(
        _state(covered, weeks), text, reverse("meetings:body_meetings", args=[body.pk])
    )


def _series_readiness(body: Body) -> Readiness:
    """A future month of a body with a standing weekly series: its meetings are generated as
    the month comes within the series' horizon, so the month is planned."""
    text = _("%(body)s: fast ugentlig mødeserie.") % {"body": body.name}
    return Readiness(State.READY, text, reverse("meetings:body_meetings", args=[body.pk]))


def _plans_readiness(municipality: Municipality, school_year: int) -> Readiness | None:
    rows = school_year_overview(municipality, school_year)
    if not rows:
        return None
    planned = sum(1 for row in rows if row.plan is not None)
    text = _("%(planned)s af %(teams)s skoleteams har planlagt skoleåret %(year)s.") % {
        "planned": planned,
        "teams": len(rows),
        "year": school_year_label(school_year),
    }
    url = reverse("meetings:school_year_overview", args=[municipality.pk])
    return Readiness(_state(planned, len(rows)), text, f"{url}?aar={school_year}")


def _team_plan_readiness(team: Body, school_year: int, planned: bool) -> Readiness:
    values = {"body": team.name, "year": school_year_label(school_year)}
    if planned:
        text = _("%(body)s har planlagt skoleåret %(year)s.") % values
    else:
        text = _("%(body)s har ikke planlagt skoleåret %(year)s.") % values
    url = f"{reverse('meetings:year_plan', args=[team.pk])}?aar={school_year}"
    return Readiness(State.READY if planned else State.MISSING, text, url)


def _bodies(municipality: Municipality, items: Iterable[RhythmItem]) -> dict[str, list[Body]]:
    kinds = {item.body_kind for item in items}
    by_kind: dict[str, list[Body]] = defaultdict(list)
    for body in Body.objects.filter(municipality=municipality, kind__in=kinds).order_by("name"):
        by_kind[body.kind].append(body)
    return by_kind


def _meeting_days(meetings: Iterable[Meeting]) -> dict[int, list[Meeting]]:
    by_body: dict[int, list[Meeting]] = defaultdict(list)
    for meeting in meetings:
        by_body[meeting.body_id].append(meeting)
    return by_body


def readiness_board(municipality: Municipality, today: date) -> list[BoardLine]:
    """Each expected item's next (or still chased) occurrence and whether it is ready, in
    date order: the board's lines and the reminders' source. At most six queries plus one per
    registered check."""
    items = rhythm()
    bodies = _bodies(municipality, items)
    due = {item.key: occurrence(item, today) for item in items}
    # The next four weeks, beginning with the first Monday from today on.
    weeks = _mondays(today, today + timedelta(weeks=WEEKS_AHEAD) - timedelta(days=1))
    weeks_end = weeks[-1] + timedelta(days=6)
    windows = [
        (due[item.key], month_end(due[item.key].year, due[item.key].month))
        for item in items
        if item.check == Check.MEETING
    ] + [(weeks[0], weeks_end)]
    meeting_bodies = [
        body.pk
        for item in items
        if item.check in (Check.MEETING, Check.WEEKLY_MEETINGS)
        for body in bodies[item.body_kind]
    ]
    meetings = _meeting_days(
        Meeting.objects.filter(
            body__in=meeting_bodies,
            status=MeetingStatus.PLANNED,
            starts_at__date__gte=min(first for first, _last in windows),
            starts_at__date__lte=max(last for _first, last in windows),
        ).order_by("starts_at", "pk")
    )
    lines = []
    for item in items:
        first = due[item.key]
        last = month_end(first.year, first.month)
        if item.check == Check.SCHOOL_YEAR_PLANS:
            if bodies[item.body_kind]:
                readiness = _plans_readiness(municipality, school_year_of(first))
                if readiness is not None:
                    lines.append(BoardLine(item, None, first, *_fields(readiness)))
        elif item.check == Check.MEETING:
            for body in bodies[item.body_kind]:
                held = [
                    m for m in meetings[body.pk] if first <= m.starts_at.date() <= last
                ]  # fmt: skip
                readiness = _meeting_readiness(item, body, held, first)
                lines.append(BoardLine(item, body, first, *_fields(readiness)))
        elif item.check == Check.WEEKLY_MEETINGS:
            for body in bodies[item.body_kind]:
                days = [
                    m.starts_at.date()
                    for m in meetings[body.pk]
                    if weeks[0] <= m.starts_at.date() <= weeks_end
                ]
                readiness = _weekly_readiness(body, _weeks_of(days), len(weeks), ahead=True)
                lines.append(BoardLine(item, body, weeks[0], *_fields(readiness)))
        elif bodies[item.body_kind]:
            found = registered_check(item.check)([municipality], first.year).get(municipality.pk)
            if found is not None:
                lines.append(BoardLine(item, None, first, *_fields(found)))
    return sorted(
        lines, key=lambda line: (line.due, line.item.key, line.body.name if line.body else "")
    )


def _fields(readiness: Readiness) -> tuple[str, str, str]:
    return readiness.state, readiness.text, readiness.url


@dataclass(frozen=True)
class BoardSummary:
    ready: int
    not_ready: int


def board_summary(lines: list[BoardLine]) -> BoardSummary:
    ready = sum(1 for line in lines if line.ready)
    return BoardSummary(ready=ready, not_ready=len(lines) - ready)


# The year wheel ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Expected:
    """An expected item in one month of the wheel, with its state as the reader sees it."""

    item: RhythmItem
    body: Body | None
    state: str
    text: str
    url: str

    @property
    def state_label(self) -> str:
        return str(State(self.state).label)


@dataclass
class WheelMonth:
    first: date
    expected: list[Expected] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)


def wheel_bodies(user: User, municipality: Municipality) -> list[Body]:
    """The bodies the wheel may be filtered by: those of the municipality the user sees in
    the organisation, with a rhythm or prevention work of their own."""
    return list(
        bodies_visible_to(user)
        .filter(municipality=municipality)
        .exclude(kind__in=NO_PREVENTION_KINDS)
        .order_by("name")
    )


def org_wheel(
    user: User, municipality: Municipality, year: int, *, body: Body | None = None
) -> list[WheelMonth]:
    """The municipality's twelve months of `year`: the expected items of the rhythm table,
    then the meetings and activities the user may see, optionally of one body only.

    Queries: bodies, meetings, activities, the school teams' plans for the two school years
    the calendar year touches (three or four each), and one per registered check."""
    items = [item for item in rhythm() if body is None or item.body_kind == body.kind]
    months = [WheelMonth(first=month_start(year, month)) for month in range(1, 13)]
    first, last = date(year, 1, 1), date(year, 12, 31)
    bodies = {body.kind: [body]} if body is not None else _bodies(municipality, items)
    meetings = meetings_visible_to(user).filter(
        body__municipality=municipality,
        status=MeetingStatus.PLANNED,
        starts_at__date__gte=first,
        starts_at__date__lte=last,
    )
    activities = activities_visible_to(user).filter(
        municipality=municipality, planned_on__gte=first, planned_on__lte=last
    )
    if body is not None:
        meetings = meetings.filter(body=body)
        activities = activities.filter(body=body)
    meeting_list = list(meetings.select_related("body").order_by("starts_at", "pk"))
    for meeting in meeting_list:
        months[meeting.starts_at.month - 1].meetings.append(meeting)
    for activity in activities.select_related("body").order_by("planned_on", "pk"):
        months[activity.planned_on.month - 1].activities.append(activity)
    weekly = [b.pk for item in items if item.weekly for b in bodies[item.body_kind]]
    wheel = _Wheel(
        municipality=municipality,
        year=year,
        today=timezone.localdate(),
        one_body=body is not None,
        meetings=_meeting_days(meeting_list),
        standing=_standing_series(weekly) if weekly else set(),
    )
    for item in items:
        for month in item.months:
            months[month - 1].expected.extend(_expected(wheel, item, bodies[item.body_kind], month))
    return months


def _standing_series(body_ids: list[int]) -> set[int]:
    """The bodies with a weekly meeting series that is not ended."""
    return set(
        MeetingSeries.objects.filter(body__in=body_ids, interval_weeks=1, ended_at__isnull=True)
        .filter(Q(last_date__isnull=True) | Q(last_date__gte=timezone.localdate()))
        .values_list("body_id", flat=True)
    )


@dataclass(frozen=True)
class _Wheel:
    municipality: Municipality
    year: int
    today: date
    one_body: bool
    meetings: dict[int, list[Meeting]]
    standing: set[int]


def _expected(wheel: _Wheel, item: RhythmItem, bodies: list[Body], month: int) -> list[Expected]:
    if not bodies:
        return []
    first, last = month_start(wheel.year, month), month_end(wheel.year, month)

    def held(body: Body) -> list[Meeting]:
        return [m for m in wheel.meetings[body.pk] if first <= m.starts_at.date() <= last]

    if item.check == Check.MEETING:
        return [
            Expected(item, body, *_fields(_meeting_readiness(item, body, held(body), first)))
            for body in bodies
        ]
    if item.check == Check.WEEKLY_MEETINGS:
        weeks = len(_mondays(first, last))
        found = []
        for body in bodies:
            covered = _weeks_of(m.starts_at.date() for m in held(body))
            if covered < weeks and first > wheel.today and body.pk in wheel.standing:
                readiness = _series_readiness(body)
            else:
                readiness = _weekly_readiness(body, covered, weeks, ahead=False)
            found.append(Expected(item, body, *_fields(readiness)))
        return found
    if item.check == Check.SCHOOL_YEAR_PLANS:
        school_year = school_year_of(first)
        if wheel.one_body:
            rows = school_year_overview(wheel.municipality, school_year)
            planned = any(row.plan is not None for row in rows if row.body.pk == bodies[0].pk)
            readiness = _team_plan_readiness(bodies[0], school_year, planned)
            return [Expected(item, bodies[0], *_fields(readiness))]
        readiness = _plans_readiness(wheel.municipality, school_year)
        return [] if readiness is None else [Expected(item, None, *_fields(readiness))]
    found = registered_check(item.check)([wheel.municipality], wheel.year)
    readiness = found.get(wheel.municipality.pk)
    return [] if readiness is None else [Expected(item, None, *_fields(readiness))]
