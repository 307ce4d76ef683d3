"""The statistics page and its exports, checked against figures worked out by hand.

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

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from cases.models import (
    Action,
    Case,
    CaseStatus,
    Concern,
    ConcernCategory,
    ConcernStatus,
    PreventionKind,
    PreventionLevel,
    SubjectKind,
    YoungPerson,
)
from forum import services as forum_services
from forum.models import Body, BodyKind, Municipality, PoliceDistrict, Unit
from meetings.models import (
    Activity,
    ActivityKind,
    AgendaItem,
    Meeting,
    MeetingStatus,
    SchoolYearPlan,
)
from ssp.models import Sector, User
from tests.meetings.statistics_helpers import (
    csv_rows,
    get_ok,
    pdf_text,
    read_page,
    read_workbook,
    sheet_rows,
    workbook_text,
)

pytestmark = pytest.mark.django_db

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


@pytest.fixture
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def tally(frozen: None) -> Tally:
    district = PoliceDistrict.objects.create(name="Tællekredsen")
    municipality = Municipality.objects.create(
        name="Tællekommune",
        code="997",
        police_district=district,
        ssp_age_limit=17,
        ssp_plus_age_limit=25,
    )
    consultant = User.objects.create_user(
        "taelle.konsulent@test.ssp", password="x", full_name="Tina Tæller", sector=Sector.OTHER
    )
    forum_services.affiliation_set(
        user=consultant, municipality=municipality, is_ssp_consultant=True
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
            kind=ActivityKind.TEACHING,
            title="Undervisning",
            planned_on=planned_on,
            done_at=at(planned_on.isoformat(), 15) if done else None,
        )
    next_year = SchoolYearPlan.objects.create(
        body=west_team, school_year=2026, created_by=consultant
    )
    Activity.objects.create(
        plan=next_year, kind=ActivityKind.THEME_DAY, title="Temadag", planned_on=date(2026, 9, 10)
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
    "group_115": [["Møder holdt", "3"], ["Sager drøftet", "6"]],
    "school_teams": [
        ["SSP-team Vestskolen", "Nej", "1", "1", "0", "0"],
        ["SSP-team Østskolen", "Ja", "3", "3", "3", "2"],
    ],
}
EXPECTED_KEYS = ["15", "13", "3", "1 / 2", "2 / 3"]


def _expected_csv(tables: dict[str, Rows]) -> list[list[str]]:
    rows = [["Tabel", "Række", "Kolonne", "Værdi"]]
    for key, table in tables.items():
        for row in table:
            for column, value in zip(COLUMNS[key], row[1:], strict=True):
                rows.append([TITLES[key], row[0], column, value])
    return rows


def _as_excel(value: str) -> int | str:
    return int(value) if value.isdigit() else value


# The page and the exports show the hand-computed figures --------------------------------------


def test_the_page_shows_every_figure_as_computed_by_hand(client: Client, tally: Tally) -> None:
    client.force_login(tally.consultant)

    page = read_page(client, tally.url(), PERIOD)

    assert page.tables == EXPECTED
    assert page.columns == COLUMNS
    assert page.key_figures == list(zip(EXPECTED_KEYS, KEY_LABELS, strict=True))


def test_the_page_says_the_period_and_hides_the_partial_scope_note_from_the_consultant(
    client: Client, tally: Tally
) -> None:
    client.force_login(tally.consultant)

    html = client.get(tally.url(), PERIOD).content.decode()

    assert "<dt>Periode</dt><dd>1. januar 2026 – 31. marts 2026</dd>" in html
    assert "du har adgang til" not in html


def test_the_csv_rows_equal_the_figures_on_the_page(client: Client, tally: Tally) -> None:
    client.force_login(tally.consultant)

    response = client.get(tally.url("statistik.csv"), PERIOD)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="ssp-statistik-997-2026-01-01-2026-03-31.csv"'
    )
    assert csv_rows(response.content) == _expected_csv(EXPECTED)


def test_the_excel_sheets_hold_the_same_cells_with_counts_as_numbers(
    client: Client, tally: Tally
) -> None:
    client.force_login(tally.consultant)

    workbook = read_workbook(get_ok(client, tally.url("statistik.xlsx"), PERIOD))

    overview = sheet_rows(workbook.worksheets[0])
    assert ["Periode", "1. januar 2026 – 31. marts 2026"] in overview
    for label, value in zip(KEY_LABELS, EXPECTED_KEYS, strict=True):
        assert [label, value] in overview
    sheets = workbook.worksheets[1:]
    assert len(sheets) == len(EXPECTED)
    for sheet, (key, rows) in zip(sheets, EXPECTED.items(), strict=True):
        shown = sheet_rows(sheet)[: len(rows) + 1]
        assert shown[0][1:] == COLUMNS[key], key
        assert shown[1:] == [[row[0], *map(_as_excel, row[1:])] for row in rows], key
    month_sheet = sheet_rows(sheets[0])
    assert (month_sheet[2][1], month_sheet[1][1]) == (7, "<5")


def test_the_yearly_status_pdf_carries_the_key_figures(client: Client, tally: Tally) -> None:
    client.force_login(tally.consultant)

    text = pdf_text(get_ok(client, tally.url("aarsstatus.pdf"), PERIOD))

    assert "SSP-status for Tællekommune" in text
    assert "1. januar 2026 – 31. marts 2026" in text
    for label, value in zip(KEY_LABELS, EXPECTED_KEYS, strict=True):
        assert re.search(rf"{re.escape(value)}\s*{re.escape(label)}", text), (label, value)
    for line in ["Kriminalitet 8", "Mistrivsel 7", "Møder holdt 3", "Sager drøftet 6"]:
        assert line in text
    assert "2,5 døgn" in text
    assert "11,0 døgn" in text


def test_no_export_names_a_young_person_or_their_birth_date(client: Client, tally: Tally) -> None:
    client.force_login(tally.consultant)

    texts = {
        "CSV": get_ok(client, tally.url("statistik.csv"), PERIOD).decode("utf-8-sig"),
        "Excel": workbook_text(get_ok(client, tally.url("statistik.xlsx"), PERIOD)),
        "PDF": pdf_text(get_ok(client, tally.url("aarsstatus.pdf"), PERIOD)),
    }

    for export, text in texts.items():
        for name in tally.names:
            assert name not in text, f"LEAK: {name} in the {export} export"
        for born in ["2010-06-01", "01-06-2010", "2005-06-01", "01-06-2005"]:
            assert born not in text, f"LEAK: birth date {born} in the {export} export"


# Edges of the data set -------------------------------------------------------------------------


def test_meetings_ahead_of_now_are_planned_but_not_held(client: Client, tally: Tally) -> None:
    client.force_login(tally.consultant)

    page = read_page(client, tally.url(), {"fra": "2026-01-01", "til": "2026-04-30"})

    # 10 April was held, 20 April is ahead; the 10 April agenda adds a seventh case.
    assert page.tables["group_115"] == [["Møder holdt", "4"], ["Sager drøftet", "7"]]
    assert page.tables["school_teams"][1] == ["SSP-team Østskolen", "Ja", "4", "3", "3", "2"]
    # The concern at 00:30 on 1 April now counts: April shows "<5".
    assert page.tables["concerns_per_month"][-1] == ["apr 2026", "<5"]


def test_a_young_persons_age_band_is_their_age_on_the_day_the_concern_is_about(
    client: Client, tally: Tally
) -> None:
    # Aged 17 on 2 April, 18 today: the concern counts under SSP, not SSP+.
    for index in range(5):
        person = YoungPerson.objects.create(
            municipality=tally.municipality,
            full_name=f"Tælle-Fødselar {index}",
            birth_date=date(2008, 4, 10),
            school=tally.west,
        )
        Concern.objects.create(
            municipality=tally.municipality,
            author=tally.consultant,
            subject_kind=SubjectKind.PERSON,
            young_person=person,
            category=tally.crime,
            description="Set og hørt.",
            observed_on=date(2026, 4, 2),
            submitted_at=at("2026-04-03"),
        )
    client.force_login(tally.consultant)

    page = read_page(client, tally.url(), {"fra": "2026-04-02", "til": "2026-04-14"})

    assert page.tables["concerns_per_school_and_age_band"] == [["Vestskolen", "5", "0", "0", "0"]]


def test_a_period_without_data_shows_zeros_and_dashes(client: Client, tally: Tally) -> None:
    client.force_login(tally.consultant)

    page = read_page(client, tally.url(), {"fra": "2024-01-01", "til": "2024-02-29"})

    assert page.tables["concerns_per_month"] == [["jan 2024", "0"], ["feb 2024", "0"]]
    assert page.tables["concerns_per_category"] == []
    assert page.tables["response_times"] == [
        ["Fra bekymring til visitation", "0", "–"],
        ["Fra første bekymring til første indsats", "0", "–"],
    ]
    assert [value for value, _label in page.key_figures] == ["0", "0", "0", "0 / 2", "0 / 0"]


# Filters ---------------------------------------------------------------------------------------

SCHOOL_EAST: dict[str, Rows] = {
    "concerns_per_month": [["jan 2026", "6"], ["feb 2026", "0"], ["mar 2026", "0"]],
    "concerns_per_category": [["Kriminalitet", "6"]],
    "concerns_per_school_and_age_band": [["Østskolen", "6", "0", "0", "0"]],
    "cases_by_status": [["Åben", "<5"], ["Aktiv", "0"], ["Opfølgning", "0"], ["Lukket", "<5"]],
    "cases_by_level": [["Generel", "0"], ["Specifik", "6"], ["Individorienteret", "0"]],
    "cases_by_kind": [["Proaktiv", "0"], ["Reaktiv", "6"], ["Situationel", "0"]],
    # Triage after 1,1,2,2,2,4 days: (2 + 2) / 2. Only 3 first actions: no median.
    "response_times": [
        ["Fra bekymring til visitation", "6", "2,0 døgn"],
        ["Fra første bekymring til første indsats", "<5", "–"],
    ],
    # The §115 group is no school's: its meetings are not filtered by school.
    "group_115": [["Møder holdt", "3"], ["Sager drøftet", "6"]],
    "school_teams": [["SSP-team Østskolen", "Ja", "3", "3", "3", "2"]],
}
BODY_115: dict[str, Rows] = {
    "concerns_per_month": [["jan 2026", "0"], ["feb 2026", "7"], ["mar 2026", "0"]],
    "concerns_per_category": [["Mistrivsel", "7"]],
    "concerns_per_school_and_age_band": [["Vestskolen", "0", "7", "0", "0"]],
    "cases_by_status": [["Åben", "0"], ["Aktiv", "7"], ["Opfølgning", "0"], ["Lukket", "0"]],
    "cases_by_level": [["Generel", "0"], ["Specifik", "0"], ["Individorienteret", "7"]],
    "cases_by_kind": [["Proaktiv", "<5"], ["Reaktiv", "0"], ["Situationel", "<5"]],
    # Triage after 2.5,2.5,5,5,6,6,8 days; first actions after 10,10,12,14,14,20,30 days.
    "response_times": [
        ["Fra bekymring til visitation", "7", "5,0 døgn"],
        ["Fra første bekymring til første indsats", "7", "14,0 døgn"],
    ],
    "group_115": [["Møder holdt", "3"], ["Sager drøftet", "6"]],
    "school_teams": [],
}
CATEGORY_CRIME: dict[str, Rows] = {
    # 6, 0, 2: the 2 hides the 6; the zero stays.
    "concerns_per_month": [["jan 2026", "<5"], ["feb 2026", "0"], ["mar 2026", "<5"]],
    "concerns_per_category": [["Kriminalitet", "8"]],
    "concerns_per_school_and_age_band": [
        ["Østskolen", "<5", "0", "0", "0"],
        ["Ingen skole", "0", "0", "0", "<5"],
    ],
    "cases_by_status": SCHOOL_EAST["cases_by_status"],
    "cases_by_level": SCHOOL_EAST["cases_by_level"],
    "cases_by_kind": SCHOOL_EAST["cases_by_kind"],
    "response_times": SCHOOL_EAST["response_times"],
    "group_115": [["Møder holdt", "3"], ["Sager drøftet", "6"]],
    "school_teams": EXPECTED["school_teams"],
}


@pytest.mark.parametrize(
    ("name", "expected", "keys"),
    [
        ("skole", SCHOOL_EAST, ["6", "6", "3", "1 / 1", "2 / 3"]),
        ("organ", BODY_115, ["7", "7", "3", "0 / 0", "0 / 0"]),
        ("kategori", CATEGORY_CRIME, ["8", "6", "3", "1 / 2", "2 / 3"]),
    ],
)
def test_each_filter_changes_the_figures_as_computed_by_hand(
    client: Client, tally: Tally, name: str, expected: dict[str, Rows], keys: list[str]
) -> None:
    chosen = {"skole": tally.east, "organ": tally.group_115, "kategori": tally.crime}[name]
    query = {**PERIOD, name: str(chosen.pk)}
    client.force_login(tally.consultant)

    page = read_page(client, tally.url(), query)
    rows = csv_rows(get_ok(client, tally.url("statistik.csv"), query))

    assert page.tables == expected
    assert [value for value, _label in page.key_figures] == keys
    assert rows == _expected_csv(expected)


def test_the_chosen_filters_stay_in_the_form_the_summary_and_the_export_links(
    client: Client, tally: Tally
) -> None:
    query = {**PERIOD, "skole": str(tally.east.pk), "kategori": str(tally.crime.pk)}
    client.force_login(tally.consultant)

    html = client.get(tally.url(), query).content.decode()

    assert 'value="2026-01-01"' in html
    assert 'value="2026-03-31"' in html
    assert f'<option value="{tally.east.pk}" selected>Østskolen</option>' in html
    assert f'<option value="{tally.crime.pk}" selected>Kriminalitet</option>' in html
    assert "<dt>Skole</dt><dd>Østskolen</dd>" in html
    assert "<dt>Kategori</dt><dd>Kriminalitet</dd>" in html
    kept = (
        f"fra=2026-01-01&amp;til=2026-03-31&amp;skole={tally.east.pk}&amp;kategori={tally.crime.pk}"
    )
    for export in ["statistik.csv", "statistik.xlsx", "aarsstatus.pdf"]:
        assert f'href="{tally.url(export)}?{kept}"' in html, export


def test_an_export_with_filters_names_them_in_its_overview(client: Client, tally: Tally) -> None:
    query = {**PERIOD, "organ": str(tally.group_115.pk)}
    client.force_login(tally.consultant)

    overview = sheet_rows(read_workbook(get_ok(client, tally.url("statistik.xlsx"), query)).active)
    text = pdf_text(get_ok(client, tally.url("aarsstatus.pdf"), query))

    assert ["Organ", "§115-gruppen"] in overview
    assert "§115-gruppen" in text


def test_without_dates_the_period_is_this_year_so_far(client: Client, tally: Tally) -> None:
    client.force_login(tally.consultant)

    html = client.get(tally.url()).content.decode()

    assert "<dd>1. januar 2026 – 15. april 2026</dd>" in html


# Bad input -------------------------------------------------------------------------------------

BAD_DATES = [
    ({"fra": "2026-03-31", "til": "2026-01-01"}, "Slutdatoen ligger før startdatoen."),
    ({"fra": "2026-13-45", "til": "2026-03-31"}, "Indtast en gyldig dato."),
    ({"fra": "2026-01-01", "til": "2026-02-30"}, "Indtast en gyldig dato."),
    ({"fra": "2020-01-01", "til": "2026-03-31"}, "Vælg en periode på højst fem år."),
    # The last month of the calendar cannot be counted to its end.
    ({"fra": "9999-12-01", "til": "9999-12-31"}, "Vælg en slutdato før år 9999."),
]


@pytest.mark.parametrize(("query", "message"), BAD_DATES)
def test_a_bad_period_is_refused_with_a_danish_message_and_the_typed_dates_kept(
    client: Client, tally: Tally, query: dict[str, str], message: str
) -> None:
    client.force_login(tally.consultant)

    response = client.get(tally.url(), query)

    html = response.content.decode()
    assert response.status_code == 422
    assert message in html
    assert f'value="{query["fra"]}"' in html
    assert f'value="{query["til"]}"' in html
    assert "Hent CSV" not in html


@pytest.mark.parametrize("field", ["skole", "organ", "kategori"])
@pytest.mark.parametrize("value", ["999999", "abc", "another municipality's"])
def test_an_unknown_choice_is_refused_with_a_danish_message_and_kept_in_the_form(
    client: Client, tally: Tally, field: str, value: str
) -> None:
    if value == "another municipality's":
        glostrup = Municipality.objects.get(code="161")
        value = str(
            {
                "skole": Unit.objects.filter(municipality=glostrup, sector=Sector.SCHOOL),
                "organ": Body.objects.filter(municipality=glostrup),
                "kategori": ConcernCategory.objects.filter(municipality=glostrup),
            }[field]
            .first()
            .pk
        )
    client.force_login(tally.consultant)

    response = client.get(tally.url(), {**PERIOD, field: value})

    assert response.status_code == 422
    assert "Marker en gyldig valgmulighed." in response.content.decode()
    assert response.context["form"][field].value() == value
    assert 'value="2026-01-01"' in response.content.decode()


@pytest.mark.parametrize("export", ["statistik.csv", "statistik.xlsx", "aarsstatus.pdf"])
@pytest.mark.parametrize(
    "query",
    [
        "fra=2026-03-31&til=2026-01-01",
        "fra=2026-13-45&til=2026-03-31",
        "fra=2020-01-01&til=2026-03-31",
        "fra=2026-01-01&til=2026-03-31&skole=999999",
        "fra=2026-01-01&til=2026-03-31&organ=abc",
    ],
)
def test_an_export_with_bad_filters_goes_back_to_the_page_with_the_same_query(
    client: Client, tally: Tally, export: str, query: str
) -> None:
    client.force_login(tally.consultant)

    response = client.get(f"{tally.url(export)}?{query}")

    assert response.status_code == 302
    assert response["Location"] == f"{tally.url()}?{query}"


@pytest.mark.parametrize(
    "query",
    [
        "fra=0001-01-01&til=0001-12-31",
        "fra=9999-12-01&til=9999-12-31",
        "fra=2026-01-01&til=2026-03-31&skole=-1",
        "fra=2026-01-01&til=2026-03-31&organ=1e9",
        "fra=2026-01-01&til=2026-03-31&kategori=99999999999999999999",
        "fra=%00&til=2026-03-31",
        "fra=2026-01-01&fra=2026-02-01&til=2026-03-31",
    ],
)
def test_odd_input_never_breaks_the_page_or_an_export(
    client: Client, tally: Tally, query: str
) -> None:
    client.force_login(tally.consultant)

    statuses = {
        suffix: client.get(f"{tally.url(suffix)}?{query}").status_code
        for suffix in ["", "statistik.csv", "statistik.xlsx", "aarsstatus.pdf"]
    }

    assert not [s for s, status in statuses.items() if status >= 500], statuses


def test_a_period_of_exactly_five_years_is_accepted(client: Client, tally: Tally) -> None:
    client.force_login(tally.consultant)

    response = client.get(tally.url(), {"fra": "2021-04-01", "til": "2026-03-31"})

    assert response.status_code == 200


def test_a_name_that_looks_like_a_formula_stays_text_in_excel(client: Client, tally: Tally) -> None:
    formula = '=HYPERLINK("https://example.invalid","Klik")'
    ConcernCategory.objects.filter(pk=tally.crime.pk).update(name=formula)
    client.force_login(tally.consultant)

    workbook = read_workbook(get_ok(client, tally.url("statistik.xlsx"), PERIOD))

    cells = [
        cell
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value == formula
    ]
    assert cells, "the category is missing from the workbook"
    assert {cell.data_type for cell in cells} == {"s"}


def test_a_name_that_looks_like_a_formula_is_shown_not_run_in_the_csv(
    client: Client, tally: Tally
) -> None:
    formula = '=HYPERLINK("https://example.invalid","Klik")'
    ConcernCategory.objects.filter(pk=tally.crime.pk).update(name=formula)
    client.force_login(tally.consultant)

    rows = csv_rows(get_ok(client, tally.url("statistik.csv"), PERIOD))

    labels = {row[1] for row in rows}
    assert f"'{formula}" in labels
    assert formula not in labels
