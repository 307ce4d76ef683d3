"""The school year: the school teams' planning meeting and the year plan with its activities
(stored by the prevention app through `meetings.hooks.year_wheel`).

A school team meets in September to agree the school year. A team that missed September is
not locked out: it plans what remains of the current school year from any day, with or
without a planning meeting, and needs only its share of the year's meetings. What stays
refused is what is genuinely wrong: a date outside the school year, or in the past.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
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

# A team meets at least this often over a whole school year (September to the summer).
MIN_YEAR_PLAN_MEETINGS = 4

# The last day a school team's meetings are counted towards the year: the summer holiday.
TEACHING_YEAR_END = (6, 30)


def september_passed(school_year: int, today: date | None = None) -> bool:
    """Whether the school year's September is behind us: from then on a team without a plan
    plans the rest of the year, without waiting for a September meeting that cannot come."""
    today = today or timezone.localdate()
    return today > date(school_year, PLANNING_MONTH, 30)


def minimum_meetings(school_year: int, from_day: date) -> int:
    """The meetings a plan laid on `from_day` must give: four over a whole school year, and a
    team that plans later in the year its share of the four for what remains (at least one)."""
    september = date(school_year, PLANNING_MONTH, 1)
    end = date(school_year + 1, *TEACHING_YEAR_END)
    left = max((end - max(from_day, september)).days, 0)
    share = math.ceil(MIN_YEAR_PLAN_MEETINGS * left / (end - september).days)
    return max(1, min(MIN_YEAR_PLAN_MEETINGS, share))


def school_year_span(school_year: int) -> str:
    """The school year's first and last day, as a user reads them."""
    first, last = school_year_bounds(school_year)
    return f"{date_format(first, 'DATE_FORMAT')}–{date_format(last, 'DATE_FORMAT')}"


def _outside_school_year(school_year: int) -> str:
    return _("Datoen skal ligge i skoleåret %(year)s (%(span)s).") % {
        "year": school_year_label(school_year),
        "span": school_year_span(school_year),
    }


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
    school_year: int | None = None,
) -> Meeting:
    """Schedule a school team's planning meeting for a school year (by default the one the
    meeting falls in). September is the custom, not a rule: a team that missed it meets later
    in the year to plan what remains. The meeting must lie in the school year it plans and
    not in the past (`meeting_create`)."""
    _check_school_team(body)
    day = timezone.localdate(starts_at)
    school_year = school_year_of(day) if school_year is None else school_year
    first, last = school_year_bounds(school_year)
    if not first <= day <= last:
        raise ValidationError({"starts_at": [_outside_school_year(school_year)]})
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
    """Agree the school year: the year's meeting series (holidays skipped) and the activities
    of the year wheel, all or nothing. Until September is over the plan follows the team's
    planning meeting; after it, a team without one plans what remains of the year from
    today, with its share of the year's four meetings (`minimum_meetings`)."""
    _check_school_team(body)
    Body.objects.select_for_update().filter(pk=body.pk).first()
    label = school_year_label(school_year)
    today = timezone.localdate()
    year_first, year_last = school_year_bounds(school_year)
    if year_last < today:
        raise ValidationError(_("Skoleåret %(year)s er slut.") % {"year": label})
    planning = planning_meeting_of(body, school_year)
    if planning is None and not september_passed(school_year, today):
        raise ValidationError(
            _("Planlæg septembermødet for %(year)s, før årets plan lægges.") % {"year": label}
        )
    if SchoolYearPlan.objects.filter(body=body, school_year=school_year).exists():
        raise ValidationError(_("Teamet har allerede en plan for %(year)s.") % {"year": label})
    errors: dict[str, list[str]] = {}
    if not year_first <= first_date <= year_last:
        errors["first_date"] = [_outside_school_year(school_year)]
    if not year_first <= last_date <= year_last:
        errors["last_date"] = [_outside_school_year(school_year)]
    activities = list(activities)
    outside = [a.title for a in activities if not year_first <= a.planned_on <= year_last]
    past = [a.title for a in activities if a.planned_on < today]
    if outside:
        errors["activities"] = [
            _("Disse aktiviteter ligger uden for skoleåret %(year)s: %(titles)s")
            % {"year": label, "titles": ", ".join(outside)}
        ]
    elif past:
        errors["activities"] = [
            _("Disse aktiviteter ligger før i dag: %(titles)s. Planen dækker resten af skoleåret.")
            % {"titles": ", ".join(past)}
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
    minimum = minimum_meetings(school_year, today)
    if held < minimum:
        if minimum == MIN_YEAR_PLAN_MEETINGS:
            message = ngettext(
                "Planen giver kun %(count)s møde; et SSP-team mødes mindst %(minimum)s gange om "
                "året. Vælg et kortere interval eller en senere sidste dato.",
                "Planen giver kun %(count)s møder; et SSP-team mødes mindst %(minimum)s gange om "
                "året. Vælg et kortere interval eller en senere sidste dato.",
                held,
            )
        else:
            message = ngettext(
                "Planen giver kun %(count)s møde; resten af skoleåret skal give mindst "
                "%(minimum)s. Vælg et kortere interval eller en senere sidste dato.",
                "Planen giver kun %(count)s møder; resten af skoleåret skal give mindst "
                "%(minimum)s. Vælg et kortere interval eller en senere sidste dato.",
                held,
            )
        raise ValidationError({"interval_weeks": [message % {"count": held, "minimum": minimum}]})
    plan = SchoolYearPlan.objects.create(
        body=body,
        school_year=school_year,
        planning_meeting=planning,
        series=series,
        created_by=by,
    )
    hooks.year_wheel().add(plan=plan, activities=activities, by=by)
    return plan
