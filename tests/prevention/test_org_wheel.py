"""The organisation's year wheel and the readiness board, on a small municipality built for
the test and a fixed date (Thursday 5 December 2030), every figure hand-computed:

- SSP-Følgen has its January meeting booked (14 January 2031): ready.
- The SSP-Forum has no April meeting: "not booked". No ActionCard for 2031: "not started".
- The Lokalråd has neither its March nor its October meeting.
- Two of the three school teams have a plan for 2030/31 (September is past: chased).
- The §115 group has meetings in three of the next four weeks (Mondays 9, 16 and 30
  December; the 23rd is missing).

Reminders go to the municipality's consultant when an item is within 30 days of its month
and not ready, once per item and deadline, and in each month after September while school
teams lack a plan.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from actioncard.models import Edition, EditionStatus
from forum import services as forum_services
from forum.models import Body, BodyKind, Municipality
from meetings.models import Meeting, SchoolYearPlan
from prevention import org_wheel_reminders
from prevention.org_wheel import org_wheel, readiness_board
from prevention.rhythm import RHYTHM, State, item_by_key, occurrence
from ssp.models import Reminder, ReminderStatus, Sector, User
from ssp.notify.reminders import schedule_daily
from tests.factories import (
    AffiliationFactory,
    BodyFactory,
    MeetingFactory,
    MunicipalityFactory,
)
from tests.reminder_helpers import assert_no_young_person_named, send_all

pytestmark = pytest.mark.django_db

TODAY = date(2030, 12, 5)


def _at(day: date, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.fixture
def fixed_day() -> Iterator[None]:
    with time_machine.travel(_at(TODAY, 10), tick=False):
        yield


@dataclass(frozen=True)
class Town:
    municipality: Municipality
    consultant: User
    council: Body
    foelgen: Body
    forum: Body
    teams: list[Body]
    group_115: Body


def _team(town_or_municipality: Municipality, name: str, forum: Body) -> Body:
    """A school team with its own school, as every team must have."""
    school = forum_services.unit_create(
        municipality=town_or_municipality, name=f"{name} Skole", sector=Sector.SCHOOL
    )
    return BodyFactory(
        kind=BodyKind.SCHOOL_TEAM,
        name=name,
        municipality=town_or_municipality,
        parent=forum,
        unit=school,
    )


def _meeting(body: Body, day: date, organiser: User, title: str = "Møde") -> Meeting:
    return MeetingFactory(
        body=body,
        organiser=organiser,
        title=title,
        starts_at=_at(day, 13),
        ends_at=_at(day, 15),
    )


@pytest.fixture
def town(fixed_day: None) -> Town:
    municipality = MunicipalityFactory(name="Hjulby")
    consultant = AffiliationFactory(
        municipality=municipality, is_ssp_consultant=True, user__sector=Sector.SSP_SECRETARIAT
    ).user
    council = BodyFactory(
        kind=BodyKind.LOKALRAAD, name="Lokalrådet i Hjulby", municipality=municipality
    )
    foelgen = BodyFactory(
        kind=BodyKind.FOELGEGRUPPE, name="Hjulby SSP-Følgen", municipality=municipality,
        parent=council,
    )  # fmt: skip
    forum = BodyFactory(
        kind=BodyKind.SSP_FORUM, name="SSP-Forum Hjulby", municipality=municipality, parent=foelgen
    )
    teams = [_team(municipality, f"SSP-team {name}", forum) for name in ("Ahorn", "Birk", "Eg")]
    group_115 = BodyFactory(
        kind=BodyKind.GROUP_115, name="Hjulby §115-gruppe", municipality=municipality,
        parent=council,
    )  # fmt: skip
    for team in teams[:2]:
        SchoolYearPlan.objects.create(body=team, school_year=2030, created_by=consultant)
    _meeting(foelgen, date(2031, 1, 14), consultant, "Januarmøde")
    for day in (9, 16, 30):
        _meeting(group_115, date(2030, 12, day), consultant, "Mandagsmøde")
    Reminder.objects.filter(kind__startswith="yw_").delete()
    return Town(municipality, consultant, council, foelgen, forum, teams, group_115)


# The rhythm's dates, hand-computed --------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "key", "expected"),
    [
        (date(2030, 12, 5), "foelgen_january", date(2031, 1, 1)),
        (date(2030, 12, 5), "forum_april", date(2031, 4, 1)),
        (date(2030, 12, 5), "actioncard", date(2031, 4, 1)),
        # After September the past September is chased, until March.
        (date(2030, 12, 5), "school_september", date(2030, 9, 1)),
        (date(2031, 3, 31), "school_september", date(2030, 9, 1)),
        (date(2031, 4, 1), "school_september", date(2031, 9, 1)),
        (date(2031, 9, 15), "school_september", date(2031, 9, 1)),
        (date(2030, 12, 5), "group115_weekly", date(2030, 12, 1)),
        (date(2030, 12, 5), "lokalraad_spring", date(2031, 3, 1)),
        (date(2030, 12, 5), "lokalraad_autumn", date(2031, 10, 1)),
        (date(2031, 1, 20), "foelgen_january", date(2031, 1, 1)),
        (date(2031, 2, 1), "foelgen_january", date(2032, 1, 1)),
    ],
)
def test_an_items_occurrence_on_a_fixed_date(today: date, key: str, expected: date) -> None:
    item = next(item for item in RHYTHM if item.key == key)
    assert occurrence(item, today) == expected


def test_reminder_kinds_fit_the_reminder_table() -> None:
    assert all(len(item.reminder_kind) <= 20 for item in RHYTHM)
    assert len({item.key for item in RHYTHM}) == len(RHYTHM)


# The board -------------------------------------------------------------------------------------


def _board(town: Town) -> list[tuple[str, str, str]]:
    return [
        (line.due.isoformat(), line.state, line.text)
        for line in readiness_board(town.municipality, TODAY)
    ]


def test_the_board_on_a_fixed_date(town: Town) -> None:
    assert _board(town) == [
        ("2030-09-01", State.STARTED, "2 af 3 skoleteams har planlagt skoleåret 2030/31."),
        (
            "2030-12-09",
            State.STARTED,
            "Hjulby §115-gruppe: møder booket i 3 af de næste 4 uger.",
        ),
        (
            "2031-01-01",
            State.READY,
            "Hjulby SSP-Følgen: Januarmøde: Undervisnings- og Aktivitetsplanen godkendes "
            "er booket 14. januar 2031.",
        ),
        (
            "2031-03-01",
            State.MISSING,
            "Lokalrådet i Hjulby: Lokalrådets forårsmøde i marts 2031 er ikke booket.",
        ),
        ("2031-04-01", State.MISSING, "ActionCard-udkastet for 2031 er ikke påbegyndt."),
        (
            "2031-04-01",
            State.MISSING,
            "SSP-Forum Hjulby: Årets SSP-Forum i april 2031 er ikke booket.",
        ),
        (
            "2031-10-01",
            State.MISSING,
            "Lokalrådet i Hjulby: Lokalrådets efterårsmøde i oktober 2031 er ikke booket.",
        ),
    ]


def test_each_line_links_to_where_it_is_fixed(town: Town) -> None:
    urls = {line.item.key: line.url for line in readiness_board(town.municipality, TODAY)}
    assert urls["school_september"] == (f"/moeder/skoleaar/{town.municipality.pk}/?aar=2030")
    assert urls["forum_april"] == f"/moeder/organ/{town.forum.pk}/nyt/"
    assert urls["actioncard"] == "/handlekort/redaktion/"
    assert urls["group115_weekly"] == f"/moeder/organ/{town.group_115.pk}/"
    january = Meeting.objects.get(body=town.foelgen)
    assert urls["foelgen_january"] == f"/moeder/{january.pk}/"


def test_the_board_follows_what_is_booked_planned_and_drafted(town: Town) -> None:
    _meeting(town.forum, date(2031, 4, 23), town.consultant, "SSP-Forum")
    SchoolYearPlan.objects.create(body=town.teams[2], school_year=2030, created_by=town.consultant)
    Edition.objects.create(
        municipality=town.municipality,
        year=2031,
        contents_taken_at=timezone.now(),
        created_by=town.consultant,
    )

    states = {line.item.key: (line.state, line.text) for line in readiness_board(
        town.municipality, TODAY
    )}  # fmt: skip

    assert states["forum_april"][0] == State.READY
    assert states["school_september"] == (
        State.READY,
        "3 af 3 skoleteams har planlagt skoleåret 2030/31.",
    )
    assert states["actioncard"] == (
        State.STARTED,
        "ActionCard-udkastet for 2031 er påbegyndt, men ikke udgivet.",
    )


def test_a_published_actioncard_is_ready(town: Town) -> None:
    Edition.objects.create(
        municipality=town.municipality,
        year=2031,
        status=EditionStatus.PUBLISHED,
        pdf="actioncard/test.pdf",
        contents_taken_at=timezone.now(),
        created_by=town.consultant,
    )
    line = next(
        line for line in readiness_board(town.municipality, TODAY) if line.item.key == "actioncard"
    )
    assert (line.state, line.text) == (State.READY, "SSP-ActionCard 2031 er udgivet.")


def test_the_board_asks_a_fixed_number_of_questions(town: Town) -> None:
    with CaptureQueriesContext(connection) as before:
        readiness_board(town.municipality, TODAY)
    for n in range(5):
        team = _team(town.municipality, f"Ekstra {n}", town.forum)
        SchoolYearPlan.objects.create(body=team, school_year=2030, created_by=town.consultant)
        _meeting(town.group_115, date(2031, 1, 6) + timedelta(weeks=n), town.consultant)
    with CaptureQueriesContext(connection) as after:
        readiness_board(town.municipality, TODAY)

    # Bodies, meetings, four for the school teams' plans, one for the ActionCard.
    assert (len(before), len(after)) == (7, 7)


# The wheel -------------------------------------------------------------------------------------


def test_the_wheel_places_expected_items_and_actual_meetings(town: Town) -> None:
    months = org_wheel(town.consultant, town.municipality, 2031)

    january, march, april, september = months[0], months[2], months[3], months[8]
    assert [(e.item.key, e.state) for e in january.expected] == [
        ("foelgen_january", State.READY),
        # No meetings of the §115 group booked in January, and no standing series.
        ("group115_weekly", State.MISSING),
    ]
    assert [m.title for m in january.meetings] == ["Januarmøde"]
    assert next((e.item.key, e.state) for e in march.expected) == (
        "lokalraad_spring",
        State.MISSING,
    )
    assert {e.item.key for e in april.expected} == {"forum_april", "actioncard", "group115_weekly"}
    assert [e.text for e in september.expected if e.item.key == "school_september"] == [
        "0 af 3 skoleteams har planlagt skoleåret 2031/32."
    ]


def test_the_wheel_filtered_by_one_team(town: Town) -> None:
    months = org_wheel(town.consultant, town.municipality, 2030, body=town.teams[0])

    assert [e.text for month in months for e in month.expected] == [
        "SSP-team Ahorn har planlagt skoleåret 2030/31."
    ]
    assert all(not month.meetings for month in months)


def test_the_wheel_page_asks_a_fixed_number_of_questions(town: Town, client: Client) -> None:
    client.force_login(town.consultant)
    url = f"/forebyggelse/aarshjul/{town.municipality.pk}/?aar=2031"
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    for n in range(6):
        _meeting(town.group_115, date(2031, 1, 6) + timedelta(weeks=n), town.consultant)
    with CaptureQueriesContext(connection) as after:
        assert client.get(url).status_code == 200

    assert len(after) == len(before), f"{len(before)} / {len(after)} queries"


# Reminders -------------------------------------------------------------------------------------


def _reminders(town: Town) -> set[tuple[str, str]]:
    return {
        (kind, timezone.localtime(due_at).date().isoformat())
        for kind, due_at in Reminder.objects.filter(
            object_type=org_wheel_reminders.MUNICIPALITY_TYPE, object_id=town.municipality.pk
        ).values_list("kind", "due_at")
    }


def test_in_december_the_consultant_is_reminded_of_the_teams_without_a_plan(town: Town) -> None:
    schedule_daily(TODAY)
    schedule_daily(TODAY)

    assert _reminders(town) == {("yw_school_september", "2030-12-01")}
    assert set(
        Reminder.objects.filter(object_id=town.municipality.pk, kind__startswith="yw_").values_list(
            "recipient", flat=True
        )
    ) == {town.consultant.pk}


def test_in_march_the_april_items_are_reminded_once_each(town: Town) -> None:
    for day in (date(2031, 3, 2), date(2031, 3, 5), date(2031, 3, 5)):
        with time_machine.travel(_at(day, 6), tick=False):
            schedule_daily(day)

    assert _reminders(town) == {
        ("yw_school_september", "2031-03-01"),
        ("yw_lokalraad_spring", "2031-01-30"),
        ("yw_forum_april", "2031-03-02"),
        ("yw_actioncard", "2031-03-02"),
    }


def test_a_reminder_is_sent_once_without_a_childs_name(town: Town) -> None:
    with time_machine.travel(_at(date(2031, 3, 2), 6), tick=False):
        schedule_daily(date(2031, 3, 2))
    rows = Reminder.objects.filter(kind="yw_forum_april", object_id=town.municipality.pk)

    messages = send_all(rows)

    assert len(messages) == 1
    assert messages[0].to == [town.consultant.email]
    assert "SSP-Forum Hjulby: Årets SSP-Forum i april 2031 er ikke booket." in messages[0].body
    assert f"/forebyggelse/aarshjul/{town.municipality.pk}/parathed/" in messages[0].body
    assert_no_young_person_named(messages)
    assert rows.get().status == ReminderStatus.SENT
    mail.outbox.clear()
    assert send_all(rows) == [], "a sent reminder went again"


def test_an_item_made_ready_before_sending_is_not_sent(town: Town) -> None:
    with time_machine.travel(_at(date(2031, 3, 2), 6), tick=False):
        schedule_daily(date(2031, 3, 2))
        _meeting(town.forum, date(2031, 4, 23), town.consultant, "SSP-Forum")
    rows = Reminder.objects.filter(kind="yw_forum_april", object_id=town.municipality.pk)

    assert send_all(rows) == []


def test_every_reminding_item_is_registered() -> None:
    assert all(item_by_key(item.key) is not None for item in RHYTHM)
