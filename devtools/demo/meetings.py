"""Demo meetings, so every persona's calendar looks like a real autumn in Glostrup.

- the weekly §115 group (Mandagsgruppen) every Monday 13–15, with a case on the next agenda
  and a guest who may not see it (the item is redacted for him),
- the SSP-Følgegruppe's January meeting and the SSP-Forum's April meeting,
- this school year's plan for two school teams: SSP-team Nordvang agreed its plan at its
  September planning meeting; SSP-team Søndervang missed September and (once September is
  over) laid a plan for the rest of the year in late October, without a planning meeting;
  SSP-team Vestervang has not planned yet, so the consultant's overview has something to show
  and its year plan page offers the way to plan the rest of the year.

Seeding is idempotent: what is there already is left alone. The September planning meetings
lie in the past, which services refuse to create, so those few rows are written directly.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from cases.models import Case
from cases.services import SHARE_CRITERIA
from forum.models import Body, Membership, MembershipRole, Person
from meetings import services
from meetings.models import (
    ActivityKind,
    Meeting,
    MeetingKind,
    MeetingSeries,
    Participant,
    SchoolYearPlan,
    StandingAgendaItem,
    school_year_of,
)
from prevention.models import Activity
from ssp.models import User

MUNICIPALITY = "Glostrup"
GROUP_115 = "Mandagsgruppen (§115)"
GROUP_115_CASE = "Demo-Jonas Fiktivsen"
GROUP_115_GUEST = "Kasper Krog"

STANDING_ITEMS = {
    GROUP_115: ["SSP siden sidst", "Nye bekymringer", "Opfølgning på sager"],
    "SSP-Følgen": ["Status fra SSP-konsulenten"],
}

# (team, activities: (kind, title, grade, month, day, responsible)); the team's chair plans,
# or the consultant where the chair has no login.
SCHOOL_PLANS = [
    (
        "SSP-team Nordvang",
        [
            (ActivityKind.TEACHING, "Digital dannelse", "6. klasse", 10, 14, "Erik Eriksen"),
            (ActivityKind.PARENT_MEETING, "Forældremøde om fester", "8. klasse", 2, 3, ""),
            (ActivityKind.THEME_DAY, "Temadag om rusmidler", "9. klasse", 4, 20, "Sara Skov"),
        ],
    ),
    (
        "SSP-team Søndervang",
        [
            (ActivityKind.TEACHING, "Gode venner – dårlige valg", "7. klasse", 11, 25, ""),
            (ActivityKind.PARENT_MEETING, "Forældremøde 7. årgang", "7. klasse", 1, 20, ""),
        ],
    ),
]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _next_weekday(after: date, weekday: int) -> date:
    return after + timedelta(days=(weekday - after.weekday()) % 7 or 7)


def _body(name: str) -> Body:
    return Body.objects.get(municipality__name=MUNICIPALITY, name=name)


def _person(name: str) -> Person:
    return Person.objects.get(municipality__name=MUNICIPALITY, full_name=name)


@transaction.atomic
def seed(consultant_email: str = "konsulent@demo.ssp") -> None:
    consultant = User.objects.get(email=consultant_email)
    for body_name, titles in STANDING_ITEMS.items():
        body = _body(body_name)
        for position, title in enumerate(titles, start=1):
            StandingAgendaItem.objects.get_or_create(
                body=body, title=title, defaults={"position": position}
            )
    _seed_group_115(consultant)
    _seed_yearly_cycle(consultant)
    for team, activities in SCHOOL_PLANS:
        body = _body(team)
        chair = (
            Membership.objects.filter(body=body, role=MembershipRole.CHAIR)
            .select_related("person__user")
            .first()
        )
        planner = chair.person.user if chair and chair.person.user_id else consultant
        _seed_school_plan(body, planner, activities)


def _seed_group_115(consultant: User) -> None:
    body = _body(GROUP_115)
    if MeetingSeries.objects.filter(body=body).exists():
        return
    series = services.series_create(
        body=body,
        organiser=consultant,
        notify=False,
        title="Mandagsmøde i §115-gruppen",
        first_date=_next_weekday(timezone.localdate(), 0),
        start_time=time(13),
        end_time=time(15),
        location="Glostrup Rådhus, mødelokale 2",
    )
    first = series.meetings.order_by("starts_at").first()
    services.guest_add(meeting=first, person=_person(GROUP_115_GUEST))
    case = Case.objects.get(young_person__full_name=GROUP_115_CASE)
    services.agenda_item_add(
        meeting=first,
        by=consultant,
        title="Drøftelse af indsats",
        description="Status fra skolen og klubben; aftale om næste skridt.",
        case=case,
        purpose="Koordinere skolens, klubbens og politiets indsats.",
        criteria=dict.fromkeys(SHARE_CRITERIA, True),
    )


def _seed_yearly_cycle(consultant: User) -> None:
    today = timezone.localdate()
    january = date(today.year + 1, 1, 13)
    april = date(today.year + (1 if today.month >= 4 else 0), 4, 21)
    for body_name, title, day, start, end in [
        ("SSP-Følgen", "Årsmøde: Undervisnings- og Aktivitetsplanen", january, 9, 11),
        ("SSP-Forum Glostrup", "SSP-Forum: årets møde", april, 13, 16),
    ]:
        body = _body(body_name)
        if Meeting.objects.filter(body=body, title=title).exists():
            continue
        services.meeting_create(
            body=body,
            organiser=consultant,
            title=title,
            starts_at=_at(_next_weekday(day - timedelta(days=1), 2), start),
            ends_at=_at(_next_weekday(day - timedelta(days=1), 2), end),
            location="Glostrup Rådhus, byrådssalen",
            notify=False,
        )


# The team that missed September and planned the rest of the year on this day (or today, if
# that is earlier), without a planning meeting.
MID_YEAR_TEAM = "SSP-team Søndervang"
MID_YEAR_PLANNED_ON = (10, 28)


def _seed_mid_year_plan(body: Body, chair: User, year: int) -> SchoolYearPlan:
    laid = min(date(year, *MID_YEAR_PLANNED_ON), timezone.localdate())
    series = MeetingSeries.objects.create(
        body=body,
        organiser=chair,
        title=f"Teammøde i {body.name}",
        first_date=laid + timedelta(weeks=2),
        last_date=date(year + 1, 6, 15),
        interval_weeks=6,
        start_time=time(13),
        end_time=time(14, 30),
        location=body.unit.name if body.unit_id else "",
    )
    services.series_extend(series, notify=False)
    plan = SchoolYearPlan.objects.create(
        body=body, school_year=year, planning_meeting=None, series=series, created_by=chair
    )
    SchoolYearPlan.objects.filter(pk=plan.pk).update(created_at=_at(laid, 15))
    return plan


def _seed_school_plan(body: Body, chair: User, activities: list[tuple]) -> None:
    year = school_year_of(timezone.localdate())
    if SchoolYearPlan.objects.filter(body=body, school_year=year).exists():
        return
    if body.name == MID_YEAR_TEAM and services.september_passed(year):
        _seed_activities(_seed_mid_year_plan(body, chair, year), year, activities)
        return
    planning_day = _next_weekday(date(year, 9, 1), 1)  # the first Tuesday after 1 September
    planning = Meeting.objects.create(
        body=body,
        organiser=chair,
        kind=MeetingKind.PLANNING,
        title=f"Planlægningsmøde {year}/{str(year + 1)[-2:]}",
        starts_at=_at(planning_day, 14),
        ends_at=_at(planning_day, 16),
        location=body.unit.name if body.unit_id else "",
    )
    members = Membership.objects.filter(body=body).values_list("person_id", flat=True)
    Participant.objects.bulk_create(
        [Participant(meeting=planning, person_id=pk, attended=True) for pk in members]
    )
    series = MeetingSeries.objects.create(
        body=body,
        organiser=chair,
        title=f"Teammøde i {body.name}",
        first_date=planning_day + timedelta(weeks=7),
        last_date=date(year + 1, 6, 15),
        interval_weeks=7,
        start_time=time(14),
        end_time=time(15, 30),
        location=planning.location,
    )
    services.series_extend(series, notify=False)
    plan = SchoolYearPlan.objects.create(
        body=body, school_year=year, planning_meeting=planning, series=series, created_by=chair
    )
    _seed_activities(plan, year, activities)


def _seed_activities(plan: SchoolYearPlan, year: int, activities: list[tuple]) -> None:
    body, chair = plan.body, plan.created_by
    for kind, title, grade, month, day, responsible in activities:
        planned_on = date(year if month >= 8 else year + 1, month, day)
        Activity.objects.create(
            plan=plan,
            body=body,
            municipality_id=body.municipality_id,
            school_id=body.unit_id,
            created_by=chair,
            kind=kind,
            title=title,
            grade=grade,
            planned_on=planned_on,
            responsible=_person(responsible) if responsible else None,
            done_at=_at(planned_on, 12) if planned_on < timezone.localdate() else None,
        )
