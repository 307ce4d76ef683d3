"""Onboarding of new staff: a welcome package when someone joins a body (sent once, however
often the task runs), an update for a later body, the rules by sector and body, the leader's
checklist, the consultants' overview, and who may open what (a table)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from actioncard.models import Edition, EditionStatus
from forum import services as forum_services
from forum.models import Body, Municipality, Person
from meetings import services as meeting_services
from meetings.models import Meeting, Participant
from onboarding import tasks
from onboarding.models import Onboarding, Welcome, WelcomeKind, WelcomeStatus
from onboarding.package import package_for
from ssp.models import Sector
from tests.mail import deliver_queued
from tests.permission_table import ANONYMOUS, Row, Table, check, sign_in, statuses
from tests.personas import PERSONA_NAMES, Personas

pytestmark = pytest.mark.django_db

PERSONAS = (*PERSONA_NAMES, ANONYMOUS)
TEAM = "SSP-team Vestervang"
MONDAY = "Mandagsgruppen (§115)"


def _at(days: int, hour: int = 10) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _glostrup() -> Municipality:
    return Municipality.objects.get(code="161")


def _body(name: str) -> Body:
    return Body.objects.get(name=name, municipality__code="161")


def _newcomer(name: str = "Nina Nyansat", sector: str = Sector.SCHOOL, **fields) -> Person:  # type: ignore[no-untyped-def]
    return forum_services.person_create(
        municipality=_glostrup(),
        full_name=name,
        sector=sector,
        job_title="Lærer",
        email=f"{name.split()[0].lower()}@ny.test",
        **fields,
    )


def _join(person: Person, body: str, by) -> Welcome:  # type: ignore[no-untyped-def]
    forum_services.membership_add(body=_body(body), person=person, by=by)
    return Welcome.objects.get(person=person, body=_body(body))


def _publish_actioncard(personas: Personas) -> None:
    """Glostrup's current ActionCard: the demo publishes this year's; a test data set
    without it gets one."""
    if Edition.objects.filter(
        municipality=_glostrup(),
        year=timezone.localdate().year,
        status=EditionStatus.PUBLISHED,
    ).exists():
        return
    Edition.objects.create(
        municipality=_glostrup(),
        year=timezone.localdate().year,
        status=EditionStatus.PUBLISHED,
        contents_taken_at=timezone.now(),
        created_by=personas.admin,
        published_at=timezone.now(),
        pdf="handlekort/test.pdf",
    )


def _meeting(personas: Personas, body: str, days: int = 10) -> Meeting:
    return meeting_services.meeting_create(
        body=_body(body),
        organiser=personas.consultant,
        title=f"Næste møde i {body}",
        starts_at=_at(days),
        ends_at=_at(days, 12),
        notify=False,
    )


def test_a_new_member_gets_one_full_welcome_package_even_if_the_task_runs_twice(
    personas: Personas,
) -> None:
    _publish_actioncard(personas)
    meeting = _meeting(personas, TEAM)
    person = _newcomer()

    welcome = _join(person, TEAM, personas.consultant)
    first, second = tasks.deliver_welcome(welcome.pk), tasks.deliver_welcome(welcome.pk)

    assert (first, second) == (True, False)
    assert deliver_queued(to="nina@ny.test") == 1
    assert deliver_queued(to="leder@demo.ssp") == 1, "the team's chair, the newcomer's leader"
    assert deliver_queued(to="nina@ny.test") == 0
    welcome.refresh_from_db()
    assert (welcome.kind, welcome.status) == (WelcomeKind.FULL, WelcomeStatus.SENT)
    package_mail = next(m for m in mail.outbox if m.to == ["nina@ny.test"])
    text = package_mail.body
    assert package_mail.subject == "Velkommen til SSP-samarbejdet i Glostrup"
    assert TEAM in text
    team = _body(TEAM)
    if team.purpose:
        assert team.purpose.splitlines()[0] in text
    assert meeting.title in text
    assert "/handlekort/161/" in text
    assert "§115" in text
    assert "Skærpet underretningspligt" in text
    assert "Kirsten Kragh" in text, "who to ask: the municipality's SSP consultant"
    # No login: no access-log rule and no link to a page they cannot open.
    assert "Adgangsloggen" not in text
    assert "/velkommen/" not in text
    leader_mail = next(m for m in mail.outbox if m.to == ["leder@demo.ssp"])
    assert "Nina Nyansat er startet i SSP-team Vestervang" in leader_mail.subject
    assert f"/velkommen/{person.onboarding.pk}/" in leader_mail.body


def test_the_rules_follow_the_sector_and_the_bodies(personas: Personas) -> None:
    officer = _newcomer("Ole Betjent", Sector.POLICE, with_login=True, invited_by=personas.admin)
    caretaker = _newcomer("Vicevært Viggo", Sector.OTHER)
    _join(officer, MONDAY, personas.consultant)
    _join(caretaker, "SSP-Forum Glostrup", personas.consultant)

    officer_rules = [rule.title for rule in package_for(officer).rules]
    caretaker_rules = [rule.title for rule in package_for(caretaker).rules]

    assert officer_rules == [
        "Tavshedspligt og retsplejelovens §115",
        "Ikke til efterforskning (§115, stk. 2)",
        "Skærpet underretningspligt (Barnets lov)",
        "Adgangsloggen",
    ]
    assert caretaker_rules == ["Underretningspligt (Barnets lov)"]


def test_a_second_body_brings_an_update_not_a_second_package(personas: Personas) -> None:
    person = _newcomer()
    tasks.deliver_welcome(_join(person, TEAM, personas.consultant).pk)

    update = _join(person, MONDAY, personas.consultant)
    tasks.deliver_welcome(update.pk)
    deliver_queued(to="nina@ny.test")

    assert update.kind == WelcomeKind.UPDATE
    subjects = [m.subject for m in mail.outbox if m.to == ["nina@ny.test"]]
    assert subjects == [
        "Velkommen til SSP-samarbejdet i Glostrup",
        f"Nyt i SSP: du er nu med i {MONDAY}",
    ]
    assert Onboarding.objects.filter(person=person).count() == 1


def test_a_system_change_welcomes_no_one_and_leaving_and_rejoining_welcomes_once(
    personas: Personas,
) -> None:
    imported = _newcomer("Ib Importeret")
    forum_services.membership_add(body=_body(TEAM), person=imported, by=None)
    person = _newcomer()
    _join(person, TEAM, personas.consultant)
    seat = person.memberships.get()

    forum_services.membership_remove(membership=seat, by=personas.consultant)
    forum_services.membership_add(body=_body(TEAM), person=person, by=personas.consultant)

    assert not Welcome.objects.filter(person=imported).exists()
    assert Welcome.objects.filter(person=person).count() == 1


def test_the_leader_ticks_the_checklist_and_the_newcomer_only_reads_it(
    personas: Personas, client: Client
) -> None:
    person = _newcomer(with_login=True, invited_by=personas.admin)
    _join(person, TEAM, personas.consultant)
    onboarding = person.onboarding
    url = f"/velkommen/{onboarding.pk}/tjekliste/"

    client.force_login(personas.leader)
    ticked = client.post(url, {"item": "intro_talk", "done": "1"})
    client.force_login(person.user)
    own_page = client.get("/velkommen/", follow=True)
    refused = client.post(url, {"item": "tour", "done": "1"})

    onboarding.refresh_from_db()
    assert ticked.status_code == 302
    assert onboarding.intro_talk_by == personas.leader
    assert onboarding.intro_talk_at is not None
    assert own_page.status_code == 200
    assert "Velkommen til SSP-samarbejdet i Glostrup" in own_page.content.decode()
    assert "Sæt flueben" not in own_page.content.decode()
    assert refused.status_code == 403
    assert onboarding.tour_at is None


def test_the_overview_shows_who_has_not_finished_and_attendance_ticks_the_first_meeting(
    personas: Personas, client: Client
) -> None:
    done = _newcomer("Frida Færdig")
    _join(done, TEAM, personas.consultant)
    waiting = _newcomer("Ulla Ufærdig")
    _join(waiting, MONDAY, personas.consultant)
    for item in ("intro_talk", "tour"):
        from onboarding.services import onboarding_tick

        onboarding_tick(onboarding=done.onboarding, item=item, done=True, by=personas.leader)
    meeting = _meeting(personas, TEAM, days=1)
    Participant.objects.update_or_create(meeting=meeting, person=done, defaults={"attended": True})
    client.force_login(personas.consultant)

    everyone = client.get("/velkommen/oversigt/").content.decode()
    team_only = client.get(f"/velkommen/oversigt/?body={_body(TEAM).pk}").content.decode()

    assert "Ulla Ufærdig" in everyone
    assert "Frida Færdig" not in everyone, "attending a meeting ticks the first meeting"
    assert "Ulla Ufærdig" not in team_only
    assert package_for(done, done.onboarding).finished
    assert package_for(done, done.onboarding).checklist[2].automatic


def test_the_menu_shows_the_overview_to_the_consultant_only(
    personas: Personas, client: Client
) -> None:
    client.force_login(personas.consultant)
    consultant_page = client.get("/moeder/").content.decode()
    client.force_login(personas.leader)
    leader_page = client.get("/moeder/").content.decode()

    assert 'href="/velkommen/oversigt/"' in consultant_page
    assert 'href="/velkommen/oversigt/"' not in leader_page


# The permission table ------------------------------------------------------------------------


@dataclass(frozen=True)
class World:
    onboarding: Onboarding


@pytest.fixture
def world(personas: Personas) -> World:
    person = _newcomer("Tabita Tabel")
    _join(person, TEAM, personas.consultant)
    return World(onboarding=person.onboarding)


def _detail(path: str = "") -> Callable[[World], str]:
    return lambda world: f"/velkommen/{world.onboarding.pk}/{path}"


# The team's chair (leader) and the municipality's consultant; nobody else (the newcomer has
# no login here, and the team's other members are not their leaders).
LEADERS = statuses(PERSONAS, 404, leader=200, consultant=200, anonymous=302)

ROWS = [
    # None of the cast is new: their own package does not exist.
    Row("mine", "GET", lambda world: "/velkommen/", statuses(PERSONAS, 404, anonymous=302)),
    Row(
        "overview",
        "GET",
        lambda world: "/velkommen/oversigt/",
        statuses(PERSONAS, 404, consultant=200, anonymous=302),
    ),
    Row("detail", "GET", _detail(), LEADERS),
    Row(
        "tick",
        "POST",
        _detail("tjekliste/"),
        {**LEADERS, "leader": 302, "consultant": 302},
        lambda world: {"item": "tour", "done": "1"},
    ),
]

TABLE = Table(namespace="onboarding", rows=ROWS, personas=PERSONAS)


@pytest.mark.parametrize(("row", "persona"), TABLE.params())
def test_permission_table(
    row: Row, persona: str, personas: Personas, world: World, client: Client
) -> None:
    sign_in(client, persona, personas)
    check(client, row, persona, url=row.url(world), data=row.data(world) if row.data else None)
