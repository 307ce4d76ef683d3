"""A year of demo prevention work in Glostrup, so every count and chart has real bars.

- the school teams' teaching, parent meetings and theme days through the school months,
- the teaching group's courses for professionals and the SSP-Forum's campaigns and network
  meetings, with the police teaching in 8th grade,
- a street-level round every Friday evening (the club worker), and the consultant's
  counselling of professionals, parents and young people a few times a week,
- a few places made safer (light, cut hedges),
- four projects, the Lokalråd's action plan approved at its February meeting, and the
  SSP-Udvalg's plan for next year waiting for its December meeting.

Everything is fictional and made from a fixed seed, so two runs give the same year. Seeding is
idempotent: when the demo projects exist, nothing is added. Past meetings and done activities
are written directly, as services refuse to create the past.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from forum.models import Body, Person, Unit
from meetings import services as meeting_services
from meetings.models import Meeting
from prevention.models import (
    Activity,
    ActivityKind,
    AgeBand,
    AnnualPlan,
    AskedBy,
    CounsellingOutcome,
    CounsellingTopic,
    Mood,
    PreventionKind,
    PreventionLevel,
    Project,
    ProjectStatus,
    StreetIssue,
)
from ssp.models import User

MUNICIPALITY = "Glostrup"
SCHOOL_TEAMS = {
    "SSP-team Vestervang": ("leder@demo.ssp", "Lars Lund"),
    "SSP-team Nordvang": ("konsulent@demo.ssp", "Erik Eriksen"),
    "SSP-team Søndervang": ("konsulent@demo.ssp", "Frida Frost"),
}
TEACHING = [
    ("Digital dannelse og deling af billeder", "6. klasse", AgeBand.CHILDREN),
    ("Gode venner – dårlige valg", "7. klasse", AgeBand.YOUNG),
    ("Alkohol og fester", "8. klasse", AgeBand.YOUNG),
    ("Hash – myter og fakta", "9. klasse", AgeBand.YOUNG),
    ("Konflikter og vold", "5. klasse", AgeBand.CHILDREN),
    ("Grooming og sikker chat", "4. klasse", AgeBand.CHILDREN),
]
PARENT_MEETINGS = [
    ("Forældremøde: fester og alkohol", "8. klasse"),
    ("Forældremøde: børn på nettet", "5. klasse"),
    ("Forældremøde: fællesskab i 7. årgang", "7. klasse"),
]
PLACES = [
    "Glostrup Station",
    "Skateparken ved Hvissinge",
    "Glostrup Storcenter",
    "Byparken",
    "Banegårdspladsen",
    "Stadion, parkeringspladsen",
]
SITUATIONAL = [
    ("Ny belysning i stationstunnelen", "Glostrup Station"),
    ("Hækkene ved Byparkens sti klippet ned", "Byparken"),
    ("Kamera-skilte og lys ved skaterampen", "Skateparken ved Hvissinge"),
]
# The months the schools teach (no July).
SCHOOL_MONTHS = {1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12}

# (body, title, goal, months from now (start, end), status, budget, evaluation)
PROJECTS = [
    (
        "Lokalrådet i Glostrup",
        "Tryg i Byparken",
        "Færre henvendelser om uro i Byparken om aftenen: lys, gadeplan fredag og lørdag og "
        "et samarbejde med boligselskabet om de unges ønsker.",
        (-8, 4),
        ProjectStatus.RUNNING,
        "75.000 kr. fra Lokalrådets pulje; lys betalt af Vej og Park.",
        "",
    ),
    (
        "SSP-Udvalget i Glostrup",
        "Forældrenetværk i 7. årgang",
        "Alle tre skoleafdelinger har et forældrenetværk i 7. årgang, der mødes mindst to "
        "gange om året.",
        (-4, 8),
        ProjectStatus.RUNNING,
        "Forplejning 12.000 kr.",
        "",
    ),
    (
        "Undervisningsgruppen",
        "Digital dannelse for lærere",
        "Alle lærere i 4.–7. klasse har været på et kursus i digital dannelse og ved, hvad de "
        "gør ved deling af billeder.",
        (-12, -2),
        ProjectStatus.DONE,
        "Inden for SSP-sekretariatets budget.",
        "Fire kurser med 58 lærere. Lærerne bruger materialet; næste skridt er forældrene.",
    ),
    (
        "Aktivitetsgruppen",
        "Sommerferie i Glostrup",
        "Aktiviteter i klubberne og på gaden i skolernes sommerferie for de 12–17-årige.",
        (-6, -4),
        ProjectStatus.DONE,
        "40.000 kr. fra puljen til ferieaktiviteter.",
        "Godt fremmøde i uge 27–29; færre unge i uge 30–31, hvor mange er på ferie.",
    ),
]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _months_from(today: date, months: int) -> date:
    month_index = today.year * 12 + today.month - 1 + months
    return date(month_index // 12, month_index % 12 + 1, 1)


class _Year:
    """Builds the rows of one demo year; written in one bulk insert at the end."""

    def __init__(self, today: date) -> None:
        self.today = today
        self.rng = random.Random(161)  # noqa: S311 - fictional demo figures
        self.rows: list[Activity] = []
        self.bodies = {
            body.name: body for body in Body.objects.filter(municipality__name=MUNICIPALITY)
        }
        self.municipality_id = self.bodies["SSP-Forum Glostrup"].municipality_id
        self.users = {user.email: user for user in User.objects.filter(email__endswith="@demo.ssp")}
        self.people = {
            person.full_name: person
            for person in Person.objects.filter(municipality_id=self.municipality_id)
        }

    def add(self, body: str, by: str, day: date, **fields: object) -> None:
        logged = fields.get("kind") in (ActivityKind.STREET_ROUND, ActivityKind.COUNSELLING)
        # Logs are written once done; of the planned work, a few are not ticked off yet.
        done = day <= self.today and (logged or self.rng.random() > 0.08)
        self.rows.append(
            Activity(
                body=self.bodies[body],
                municipality_id=self.municipality_id,
                planned_on=day,
                created_by=self.users[by],
                created_at=_at(min(day, self.today) - timedelta(days=14), 9),
                done_at=_at(day, 16) if done else None,
                done_by=self.users[by] if done else None,
                **fields,
            )
        )

    def days(self, weekday: int, start: date, end: date) -> list[date]:
        first = start + timedelta(days=(weekday - start.weekday()) % 7)
        return [first + timedelta(weeks=n) for n in range((end - first).days // 7 + 1)]


def seed() -> None:
    if Project.objects.filter(title=PROJECTS[0][1]).exists():
        return
    with transaction.atomic():
        _seed(timezone.localdate())


def _seed(today: date) -> None:
    year = _Year(today)
    start, end = today - timedelta(days=365), today + timedelta(days=75)
    projects = _projects(year)
    _school_teams(year, start, end)
    _forum(year, start, end, projects)
    _street(year, start, today, projects["Tryg i Byparken"])
    _counselling(year, start, today)
    Activity.objects.bulk_create(year.rows)
    _plans(year)


def _projects(year: _Year) -> dict[str, Project]:
    made = {}
    for body, title, goal, (first, last), status, budget, evaluation in PROJECTS:
        starts_on = _months_from(year.today, first)
        made[title] = Project.objects.create(
            municipality_id=year.municipality_id,
            body=year.bodies[body],
            title=title,
            goal=goal,
            starts_on=starts_on,
            ends_on=_months_from(year.today, last) - timedelta(days=1),
            status=status,
            budget_note=budget,
            evaluation=evaluation,
            created_by=year.users["konsulent@demo.ssp"],
        )
    return made


def _school_teams(year: _Year, start: date, end: date) -> None:
    rng = year.rng
    for team, (by, responsible) in SCHOOL_TEAMS.items():
        school: Unit | None = year.bodies[team].unit
        for day in year.days(1, start, end):  # Tuesdays
            if day.month not in SCHOOL_MONTHS or rng.random() < 0.35:
                continue
            title, grade, band = rng.choice(TEACHING)
            pupils = rng.randint(18, 56)
            year.add(
                team,
                by,
                day,
                kind=ActivityKind.TEACHING,
                title=title,
                grade=grade,
                age_band=band,
                school=school,
                responsible=year.people.get(responsible),
                pupils=pupils if day <= year.today else 0,
                professionals=rng.randint(1, 3) if day <= year.today else 0,
            )
        for month in range(0, 13, 3):
            day = _months_from(start, month) + timedelta(days=rng.randint(3, 20))
            if day > end or day.month not in SCHOOL_MONTHS:
                continue
            title, grade = rng.choice(PARENT_MEETINGS)
            year.add(
                team,
                by,
                day,
                kind=ActivityKind.PARENT_MEETING,
                title=title,
                grade=grade,
                age_band=AgeBand.ADULTS,
                school=school,
                parents=rng.randint(14, 60) if day <= year.today else 0,
                professionals=2 if day <= year.today else 0,
            )
    # The police teach too: the prevention officer's own lessons in Vestervang.
    for day in year.days(3, start, end)[::5]:
        if day.month in SCHOOL_MONTHS:
            year.add(
                "SSP-team Vestervang",
                "politi@demo.ssp",
                day,
                kind=ActivityKind.TEACHING,
                title="Politiet i 8. klasse: ansvar og konsekvenser",
                grade="8. klasse",
                age_band=AgeBand.YOUNG,
                school=year.bodies["SSP-team Vestervang"].unit,
                pupils=rng.randint(20, 48) if day <= year.today else 0,
            )


def _forum(year: _Year, start: date, end: date, projects: dict[str, Project]) -> None:
    rng = year.rng
    digital = projects["Digital dannelse for lærere"]
    for day in year.days(2, start, end)[::3]:  # courses every third Wednesday
        in_project = digital.starts_on <= day <= digital.ends_on
        year.add(
            "Undervisningsgruppen",
            "konsulent@demo.ssp",
            day,
            kind=ActivityKind.COURSE,
            title="Kursus: digital dannelse" if in_project else "Kursus: tidlig opsporing",
            level=PreventionLevel.SPECIFIC if not in_project else PreventionLevel.GENERAL,
            age_band=AgeBand.ADULTS,
            project=digital if in_project else None,
            professionals=rng.randint(8, 24) if day <= year.today else 0,
        )
    for day in year.days(0, start, end)[::2]:  # network meetings every other Monday
        year.add(
            "SSP-Forum Glostrup",
            "konsulent@demo.ssp",
            day,
            kind=ActivityKind.NETWORK_MEETING,
            title=rng.choice(
                ["Netværksmøde med klubberne", "Netværksmøde: boligsociale", "Netværk i PPR"]
            ),
            level=PreventionLevel.SPECIFIC,
            professionals=rng.randint(5, 15) if day <= year.today else 0,
        )
    for title, months in [
        ("Kampagne: Fest med omtanke", (1, 5, 9)),
        ("Kampagne: Del ikke", (3, 10)),
    ]:
        for month in months:
            day = _months_from(start, month) + timedelta(days=10)
            year.add(
                "SSP-Forum Glostrup",
                "konsulent@demo.ssp",
                day,
                kind=ActivityKind.CAMPAIGN,
                title=title,
                age_band=AgeBand.YOUNG,
                young_people=rng.randint(150, 600) if day <= year.today else 0,
                parents=rng.randint(50, 200) if day <= year.today else 0,
            )
    summer = projects["Sommerferie i Glostrup"]
    for day in year.days(3, summer.starts_on, summer.ends_on):
        year.add(
            "Aktivitetsgruppen",
            "klub@demo.ssp",
            day,
            kind=ActivityKind.OTHER,
            title="Ferieaktivitet i klubben",
            level=PreventionLevel.SPECIFIC,
            age_band=AgeBand.YOUNG,
            project=summer,
            young_people=rng.randint(12, 40),
        )
    safer = projects["Tryg i Byparken"]
    for index, (title, place) in enumerate(SITUATIONAL):
        day = safer.starts_on + timedelta(days=30 + 45 * index)
        year.add(
            "Lokalrådet i Glostrup" if place == "Byparken" else "SSP-Forum Glostrup",
            "konsulent@demo.ssp",
            day,
            kind=ActivityKind.SITUATIONAL,
            prevention_kind=PreventionKind.SITUATIONAL,
            title=title,
            place=place,
            project=safer if place == "Byparken" else None,
        )


def _street(year: _Year, start: date, today: date, project: Project) -> None:
    rng = year.rng
    for day in year.days(4, start, today):  # Friday evenings
        place = rng.choice(PLACES)
        year.add(
            "Aktivitetsgruppen",
            "klub@demo.ssp",
            day,
            kind=ActivityKind.STREET_ROUND,
            level=PreventionLevel.SPECIFIC,
            title=f"Gadeplan: {place}",
            place=place,
            time_of_day=time(rng.choice([20, 21, 22])),
            age_band=AgeBand.YOUNG,
            young_people=rng.randint(3, 28),
            mood=rng.choices(list(Mood), weights=[6, 3, 1])[0],
            issues=sorted(rng.sample(list(StreetIssue.values), k=rng.randint(0, 2))),
            project=project if place == "Byparken" and day >= project.starts_on else None,
        )


def _counselling(year: _Year, start: date, today: date) -> None:
    rng = year.rng
    reach = {AskedBy.PROFESSIONAL: "professionals", AskedBy.PARENT: "parents"}
    for day in [start + timedelta(days=n) for n in range((today - start).days + 1)]:
        if day.weekday() >= 5 or rng.random() > 0.55:
            continue
        asked_by = rng.choices(list(AskedBy), weights=[6, 3, 1])[0]
        topic = rng.choice(list(CounsellingTopic))
        year.add(
            "SSP-Forum Glostrup",
            "konsulent@demo.ssp",
            day,
            kind=ActivityKind.COUNSELLING,
            prevention_kind=PreventionKind.REACTIVE,
            level=PreventionLevel.INDIVIDUAL,
            title=f"Rådgivning: {topic.label}",
            asked_by=asked_by,
            topic=topic,
            outcome=rng.choices(list(CounsellingOutcome), weights=[10, 4, 4, 1])[0],
            **{reach.get(asked_by, "young_people"): 1},
        )


def _plans(year: _Year) -> None:
    consultant = year.users["konsulent@demo.ssp"]
    council = year.bodies["Lokalrådet i Glostrup"]
    this_year = year.today.year
    february = date(this_year, 2, 10)
    meeting = Meeting.objects.create(
        body=council,
        organiser=consultant,
        title="Lokalrådets møde: handlingsplan",
        starts_at=_at(february, 15),
        ends_at=_at(february, 17),
        location="Glostrup Rådhus, byrådssalen",
    )
    plan = AnnualPlan.objects.create(
        body=council,
        title=f"Lokalrådets handlingsplan {this_year}",
        starts_on=date(this_year, 1, 1),
        ends_on=date(this_year, 12, 31),
        summary="Tryghed i Byparken og ved stationen; forældrenetværk i 7. årgang; digital "
        "dannelse for lærere og forældre; gadeplan hver fredag.",
        approval_meeting=meeting,
        approval_note="Godkendt uden ændringer.",
        approved_by=consultant,
        approved_at=_at(february, 17),
        created_by=consultant,
    )
    plan.covers.set([year.bodies["SSP-Forum Glostrup"], year.bodies["Aktivitetsgruppen"]])
    committee = year.bodies["SSP-Udvalget i Glostrup"]
    next_year = this_year + 1
    AnnualPlan.objects.create(
        body=committee,
        title=f"SSP-Udvalgets årsplan {next_year}",
        starts_on=date(next_year, 1, 1),
        ends_on=date(next_year, 12, 31),
        summary="Temamøder om rusmidler og digitale fællesskaber; forældrenetværk i alle "
        "7. årgange.",
        created_by=consultant,
    )
    when = max(year.today + timedelta(days=10), date(this_year, 12, 1))
    meeting_services.meeting_create(
        body=committee,
        organiser=consultant,
        title=f"SSP-Udvalget: årsplan {next_year}",
        starts_at=_at(when, 14),
        ends_at=_at(when, 16),
        location="Glostrup Rådhus, mødelokale 1",
        notify=False,
    )
