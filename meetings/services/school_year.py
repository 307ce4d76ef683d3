"""The school year: the school teams' September planning meeting and the year plan with its
activities (stored by the prevention app through `meetings.hooks.year_wheel`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from forum.models import Body, BodyKind, Membership, Person
from meetings import hooks
from meetings.dates import school_year_bounds
from meetings.models import (
    Meeting,
    MeetingKind,
    MeetingStatus,
    Participant,
    SchoolYearPlan,
    school_year_label,
    school_year_of,
)
from meetings.services.meetings import meeting_create
from meetings.services.series import series_create
from ssp.models import User

PLANNING_MONTH = 9

MIN_YEAR_PLAN_MEETINGS = 4


@dataclass(frozen=True)
class Busy:
    """A member's other meeting: when, and who is busy. The meeting itself is not named,
    since it may belong to a body the planner cannot see."""

    starts_at: datetime
    ends_at: datetime
    people: tuple[str, ...]


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
    hooks.year_wheel().add(plan=plan, activities=activities, by=by)
    return plan
