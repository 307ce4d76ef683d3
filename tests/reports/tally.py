"""The data set the statistics tests count by hand, and the figures worked out from it.

A fixed data set lives in its own municipality, Tællekommune (code 997), with "now" frozen at
15 April 2026 12:00 in Copenhagen. The period under test is January to March 2026:

- January: 6 concerns (Kriminalitet) about pupils of Østskolen aged 15, each opened as a case of
  SSP-team Østskolen (5 open, 1 closed; specific; reactive); triaged after 1, 1, 2, 2, 2, 4 days;
  three of the cases had a first action after 4, 6, 8 days.
- February: 7 concerns (Mistrivsel) about former pupils of Vestskolen aged 20, each opened as a
  case of the §115 group (active; individual; 5 proactive, 2 situational); triaged after 2.5,
  2.5, 5, 5, 6, 6, 8 days; first actions after 10, 10, 12, 14, 14, 20, 30 days.
- March: 2 concerns (Kriminalitet) about a place, no young person, not triaged.
- Just outside the period: a concern and a case at 23:30 on 31 December 2025, a concern at
  00:30 on 1 April 2026; meetings and activities before and after.
- The §115 group met on 12 January, 9 February and 9 March (a 30 March meeting was cancelled)
  and discussed 6 distinct cases; it meets again on 10 and 20 April.
- SSP-team Østskolen has this school year's plan, 3 meetings (one more cancelled, one on 23
  April) and 3 activities in the period, 2 of them done. SSP-team Vestskolen has only next
  school year's plan and 1 meeting.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from cases.models import (
    Action,
    Case,
    CaseStatus,
    Concern,
    ConcernCategory,
    ConcernStatus,
    NotificationTask,
    PreventionKind,
    PreventionLevel,
    SubjectKind,
    YoungPerson,
)
from forum import services as forum_services
from forum.models import Body, BodyKind, Municipality, PoliceDistrict, Unit
from meetings.models import (
    ActivityKind,
    AgendaItem,
    Meeting,
    MeetingStatus,
    SchoolYearPlan,
)
from prevention.models import Activity
from ssp.models import Sector, User

CPH = ZoneInfo("Europe/Copenhagen")
NOW = datetime(2026, 4, 15, 12, 0, tzinfo=CPH)
PERIOD = {"fra": "2026-01-01", "til": "2026-03-31"}


def at(day: str, hour: int = 10, minute: int = 0) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, minute=minute, tzinfo=CPH)


# The data set ---------------------------------------------------------------------------------


@dataclass
class Tally:
    municipality: Municipality
    consultant: User
    east: Unit
    west: Unit
    east_team: Body
    west_team: Body
    group_115: Body
    crime: ConcernCategory
    wellbeing: ConcernCategory
    names: list[str]

    def url(self, suffix: str = "") -> str:
        return f"/statistik/{self.municipality.pk}/{suffix}"


def _meeting(body: Body, by: User, starts_at: datetime, *, cancelled: bool = False) -> Meeting:
    return Meeting.objects.create(
        body=body,
        title=f"Møde i {body.name}",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        organiser=by,
        status=MeetingStatus.CANCELLED if cancelled else MeetingStatus.PLANNED,
    )


def _agenda(meeting: Meeting, by: User, cases: list[Case]) -> None:
    AgendaItem.objects.create(meeting=meeting, position=0, title="Siden sidst", created_by=by)
    for position, case in enumerate(cases, start=1):
        AgendaItem.objects.create(
            meeting=meeting,
            position=position,
            title="Drøftelse af en ung",
            case=case,
            criteria_confirmed_by=by,
            criteria_confirmed_at=meeting.starts_at - timedelta(days=1),
            created_by=by,
        )


def tally_create() -> Tally:
    """The data set above, in its own municipality; call it with the clock at `NOW`."""
    district = PoliceDistrict.objects.create(name="Tællekredsen")
    municipality = Municipality.objects.create(
        name="Tællekommune",
        code="997",
        police_district=district,
        ssp_age_limit=17,
        ssp_plus_age_limit=25,
    )
    consultant = User.objects.create_user(
        "taelle.konsulent@test.ssp",
        password="x",
        full_name="Tina Tæller",
        sector=Sector.SSP_SECRETARIAT,
    )
    forum_services.affiliation_set(
        user=consultant,
        municipality=municipality,
        is_ssp_consultant=True,
        by=None,
    )
    east = Unit.objects.create(municipality=municipality, name="Østskolen", sector=Sector.SCHOOL)
    west = Unit.objects.create(municipality=municipality, name="Vestskolen", sector=Sector.SCHOOL)
    council = forum_services.body_create(
        kind=BodyKind.LOKALRAAD, name="Lokalrådet", municipality=municipality
    )
    forum = forum_services.body_create(
        kind=BodyKind.SSP_FORUM, name="SSP-Forum", municipality=municipality, parent=council
    )
    east_team = forum_services.body_create(
        kind=BodyKind.SCHOOL_TEAM,
        name="SSP-team Østskolen",
        municipality=municipality,
        parent=forum,
        unit=east,
    )
    west_team = forum_services.body_create(
        kind=BodyKind.SCHOOL_TEAM,
        name="SSP-team Vestskolen",
        municipality=municipality,
        parent=forum,
        unit=west,
    )
    group_115 = forum_services.body_create(
        kind=BodyKind.GROUP_115, name="§115-gruppen", municipality=municipality, parent=council
    )
    crime = ConcernCategory.objects.create(municipality=municipality, name="Kriminalitet")
    wellbeing = ConcernCategory.objects.create(municipality=municipality, name="Mistrivsel")

    def young(name: str, born: date, school: Unit) -> YoungPerson:
        return YoungPerson.objects.create(
            municipality=municipality, full_name=name, birth_date=born, school=school
        )

    def concern(
        submitted: datetime,
        category: ConcernCategory,
        person: YoungPerson | None = None,
        **fields: object,
    ) -> Concern:
        return Concern.objects.create(
            municipality=municipality,
            author=consultant,
            subject_kind=SubjectKind.PERSON if person else SubjectKind.PLACE,
            young_person=person,
            subject_description="" if person else "Torvet",
            category=category,
            description="Set og hørt.",
            observed_on=submitted.date(),
            # The database refuses to change a submission time: it is set once, here.
            submitted_at=submitted,
            **fields,
        )

    def case(person: YoungPerson, body: Body, opened: datetime, **fields: object) -> Case:
        return Case.objects.create(
            municipality=municipality,
            young_person=person,
            responsible_body=body,
            opened_by=consultant,
            opened_at=opened,
            **fields,
        )

    def action(on: Case, created: datetime) -> None:
        Action.objects.create(case=on, title="Samtale", created_by=consultant, created_at=created)

    # January: Østskolen, aged 15 (born 1 June 2010), Kriminalitet, cases of the school team.
    east_cases, names = [], []
    january = [at("2026-01-01", 0, 15)] + [at(f"2026-01-0{day}") for day in range(5, 10)]
    for index, (submitted, triage_days) in enumerate(zip(january, [1, 1, 2, 2, 2, 4], strict=True)):
        person = young(f"Tælle-Østelev {index}", date(2010, 6, 1), east)
        names.append(person.full_name)
        opened = case(
            person,
            east_team,
            at("2026-01-20"),
            status=CaseStatus.CLOSED if index == 5 else CaseStatus.OPEN,
            level=PreventionLevel.SPECIFIC,
            prevention_kind=PreventionKind.REACTIVE,
        )
        east_cases.append(opened)
        concern(
            submitted,
            crime,
            person,
            school_team=east_team,
            case=opened,
            status=ConcernStatus.LINKED,
        )
        Concern.objects.filter(young_person=person).update(
            triaged_at=submitted + timedelta(days=triage_days), triaged_by=consultant
        )
    # The first action counts, not the first one written down.
    action(east_cases[0], january[0] + timedelta(days=40))
    for opened, submitted, days in zip(east_cases, january, [4, 6, 8], strict=False):
        action(opened, submitted + timedelta(days=days))

    # February: Vestskolen, aged 20 (born 1 June 2005), Mistrivsel, cases of the §115 group.
    west_cases = []
    triage_hours = [60, 60, 120, 120, 144, 144, 192]  # 2.5, 2.5, 5, 5, 6, 6, 8 days
    action_days = [10, 10, 12, 14, 14, 20, 30]
    for index in range(7):
        submitted = at(f"2026-02-0{index + 2}")
        person = young(f"Tælle-Vestung {index}", date(2005, 6, 1), west)
        names.append(person.full_name)
        opened = case(
            person,
            group_115,
            at("2026-02-20"),
            status=CaseStatus.ACTIVE,
            level=PreventionLevel.INDIVIDUAL,
            prevention_kind=PreventionKind.PROACTIVE if index < 5 else PreventionKind.SITUATIONAL,
        )
        west_cases.append(opened)
        concern(submitted, wellbeing, person, case=opened, status=ConcernStatus.LINKED)
        Concern.objects.filter(young_person=person).update(
            triaged_at=submitted + timedelta(hours=triage_hours[index]), triaged_by=consultant
        )
        action(opened, submitted + timedelta(days=action_days[index]))

    # Barnets lov: for each February concern the reporter said a notification will be sent;
    # five are recorded as sent, one is past its due date, one is still within it.
    february = Concern.objects.filter(young_person__full_name__startswith="Tælle-Vestung")
    for index, wellbeing_concern in enumerate(february.order_by("pk")):
        sent = index < 5
        NotificationTask.objects.create(
            concern=wellbeing_concern,
            responsible=consultant,
            due_on=date(2099, 1, 1) if index == 6 else date(2026, 2, 10),
            sent_on=date(2026, 2, 9) if sent else None,
            sent_by="Socialrådgiveren" if sent else "",
            recorded_by=consultant if sent else None,
            recorded_at=at("2026-02-09") if sent else None,
        )

    # March: two concerns about a place, the second at the very end of the period.
    concern(at("2026-03-10"), crime)
    concern(at("2026-03-31", 23, 30), crime)

    # Just outside the period.
    late_pupil = young("Tælle-Sen Elev", date(2010, 6, 1), east)
    names.append(late_pupil.full_name)
    december_case = case(late_pupil, east_team, at("2025-12-31", 23, 45))
    concern(at("2025-12-31", 23, 30), crime, late_pupil, case=december_case)
    action(december_case, at("2026-01-02"))
    concern(at("2026-04-01", 0, 30), wellbeing)

    # The §115 group's meetings and the cases on their agendas.
    _agenda(_meeting(group_115, consultant, at("2025-12-15")), consultant, [])
    _meeting(group_115, consultant, at("2026-01-12"))
    _agenda(_meeting(group_115, consultant, at("2026-02-09")), consultant, east_cases[:2])
    _agenda(
        _meeting(group_115, consultant, at("2026-03-09")),
        consultant,
        [east_cases[0], *west_cases[:4]],
    )
    cancelled = _meeting(group_115, consultant, at("2026-03-30"), cancelled=True)
    _agenda(cancelled, consultant, [west_cases[4]])
    _agenda(_meeting(group_115, consultant, at("2026-04-10")), consultant, [east_cases[5]])
    _meeting(group_115, consultant, at("2026-04-20"))

    # The school teams: meetings, plans (school year 2025/26 holds the period) and activities.
    for day in ["2026-01-15", "2026-02-26", "2026-03-26", "2026-04-23"]:
        _meeting(east_team, consultant, at(day, 14))
    _meeting(east_team, consultant, at("2026-02-05", 14), cancelled=True)
    _meeting(west_team, consultant, at("2026-02-10", 14))
    _meeting(west_team, consultant, at("2025-12-09", 14))
    plan = SchoolYearPlan.objects.create(body=east_team, school_year=2025, created_by=consultant)
    for planned_on, done in [
        (date(2025, 12, 1), True),
        (date(2026, 1, 20), True),
        (date(2026, 2, 15), True),
        (date(2026, 3, 20), False),
        (date(2026, 5, 5), False),
    ]:
        Activity.objects.create(
            plan=plan,
            body=east_team,
            municipality=municipality,
            kind=ActivityKind.TEACHING,
            title="Undervisning",
            planned_on=planned_on,
            done_at=at(planned_on.isoformat(), 15) if done else None,
        )
    next_year = SchoolYearPlan.objects.create(
        body=west_team, school_year=2026, created_by=consultant
    )
    Activity.objects.create(
        plan=next_year,
        body=west_team,
        municipality=municipality,
        kind=ActivityKind.THEME_DAY,
        title="Temadag",
        planned_on=date(2026, 9, 10),
    )
    return Tally(
        municipality=municipality,
        consultant=consultant,
        east=east,
        west=west,
        east_team=east_team,
        west_team=west_team,
        group_115=group_115,
        crime=crime,
        wellbeing=wellbeing,
        names=names,
    )


# The figures, worked out by hand --------------------------------------------------------------

TITLES = {
    "concerns_per_month": "Bekymringer pr. måned",
    "concerns_per_category": "Bekymringer pr. kategori",
    "concerns_per_school_and_age_band": "Bekymringer pr. skole og aldersgruppe",
    "cases_by_status": "Sager efter status",
    "cases_by_level": "Sager efter forebyggelsesniveau",
    "cases_by_kind": "Sager efter type af forebyggelse",
    "response_times": "Svartider",
    "notification_followthrough": "Underretninger efter barnets lov, der skulle sendes",
    "group_115": "§115-møder",
    "school_teams": "Skolernes SSP-teams",
}
COLUMNS = {
    "concerns_per_month": ["Bekymringer"],
    "concerns_per_category": ["Bekymringer"],
    "concerns_per_school_and_age_band": [
        "SSP (til og med 17 år)",
        "SSP+ (18–25 år)",
        "Over 25 år",
        "Alder ukendt",
    ],
    "cases_by_status": ["Sager"],
    "cases_by_level": ["Sager"],
    "cases_by_kind": ["Sager"],
    "response_times": ["Antal", "Median"],
    "notification_followthrough": ["Bekymringer"],
    "group_115": ["Antal"],
    "school_teams": [
        "Plan for skoleåret",
        "Møder planlagt",
        "Møder holdt",
        "Aktiviteter planlagt",
        "Aktiviteter gennemført",
    ],
}
KEY_LABELS = [
    "Bekymringer",
    "Nye sager",
    "§115-møder holdt",
    "Skoleteams med plan",
    "Aktiviteter gennemført",
]

Rows = list[list[str]]

EXPECTED: dict[str, Rows] = {
    # 6, 7, 2: the 2 is hidden, and so the next smallest, January's 6.
    "concerns_per_month": [["jan 2026", "<5"], ["feb 2026", "7"], ["mar 2026", "<5"]],
    "concerns_per_category": [["Kriminalitet", "8"], ["Mistrivsel", "7"]],
    # One breakdown over the whole table: the 2 without a school hides Østskolen's 6.
    "concerns_per_school_and_age_band": [
        ["Vestskolen", "0", "7", "0", "0"],
        ["Østskolen", "<5", "0", "0", "0"],
        ["Ingen skole", "0", "0", "0", "<5"],
    ],
    # 5 open, 7 active, 0 in follow-up, 1 closed: the 1 hides the 5.
    "cases_by_status": [["Åben", "<5"], ["Aktiv", "7"], ["Opfølgning", "0"], ["Lukket", "<5"]],
    "cases_by_level": [["Generel", "0"], ["Specifik", "6"], ["Individorienteret", "7"]],
    # 5 proactive, 6 reactive, 2 situational: the 2 hides the 5.
    "cases_by_kind": [["Proaktiv", "<5"], ["Reaktiv", "6"], ["Situationel", "<5"]],
    # Triage after 1,1,2,2,2,2.5,2.5,4,5,5,6,6,8 days: the 7th of 13 is 2.5. First actions
    # after 4,6,8,10,10,12,14,14,20,30 days: (10 + 12) / 2 = 11.
    "response_times": [
        ["Fra bekymring til visitation", "13", "2,5 døgn"],
        ["Fra første bekymring til første indsats", "10", "11,0 døgn"],
    ],
    # 7 will be sent: 5 recorded, 1 overdue, 1 within its date; the two small ones hidden.
    "notification_followthrough": [
        ["Underretning bliver sendt (i alt)", "7"],
        ["Registreret som sendt", "5"],
        ["Over frist, ikke registreret", "<5"],
        ["Endnu inden for fristen", "<5"],
    ],
    "group_115": [["Møder holdt", "3"], ["Sager drøftet", "6"]],
    "school_teams": [
        ["SSP-team Vestskolen", "Nej", "1", "1", "0", "0"],
        ["SSP-team Østskolen", "Ja", "3", "3", "3", "2"],
    ],
}
EXPECTED_KEYS = ["15", "13", "3", "1 / 2", "2 / 3"]


def expected_csv(tables: dict[str, Rows]) -> list[list[str]]:
    rows = [["Tabel", "Række", "Kolonne", "Værdi"]]
    for key, table in tables.items():
        for row in table:
            for column, value in zip(COLUMNS[key], row[1:], strict=True):
                rows.append([TITLES[key], row[0], column, value])
    return rows


def as_excel(value: str) -> int | str:
    return int(value) if value.isdigit() else value
