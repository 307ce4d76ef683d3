"""Who gets what on every meeting URL: a table of (persona, URL, expected status), and the
redacted agenda: a case on the agenda shows only to those who may see the case.

A meeting is seen by its body's members, its participants, the municipality's SSP consultant
and the administrator; anyone else gets 404. It is organised by its organiser, the body's
chair or coordinator, the consultant and the administrator; the other participants get 403.
Every URL in meetings.urls must appear here (the token-based feed is tested on its own).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from cases.models import Case
from cases.services import SHARE_CRITERIA
from forum.models import Body, Person
from meetings import services
from meetings.models import (
    AgendaAttachment,
    AgendaItem,
    Meeting,
    SchoolYearPlan,
    school_year_of,
)
from ssp.models import User
from tests.meetings import test_registration as registration_table
from tests.permission_table import ANONYMOUS, Row, Table, check, sign_in, statuses, url_names
from tests.personas import PERSONA_NAMES, Personas

pytestmark = pytest.mark.django_db

PERSONAS = PERSONA_NAMES
ALL_CRITERIA = dict.fromkeys(SHARE_CRITERIA, True)
# Handled by the §115 group: seen by consultant, police and social, not by leader or club.
MONDAY_CASE = "Demo-Jonas Fiktivsen"
REDACTED = "Sag – begrænset adgang"


def _at(days: int, hour: int = 10) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _body(name: str) -> Body:
    return Body.objects.get(name=name, municipality__code="161")


def _plan(organiser: User, body: str, days: int = 7) -> Meeting:
    return services.meeting_create(
        body=_body(body),
        organiser=organiser,
        title=f"Møde i {body}",
        starts_at=_at(days, 10),
        ends_at=_at(days, 12),
        notify=False,
    )


@dataclass(frozen=True)
class World:
    team: Meeting  # SSP-team Vestervang, organised by the leader (its chair)
    monday: Meeting  # the §115 group, organised by the consultant (its chair)
    held: Meeting  # SSP-team Vestervang, held yesterday
    item: AgendaItem  # the second of two items on the team meeting's agenda
    held_item: AgendaItem  # the one item on the held meeting's agenda


@pytest.fixture
def world(personas: Personas) -> World:
    team = _plan(personas.leader, "SSP-team Vestervang")
    services.agenda_item_add(meeting=team, by=personas.leader, title="SSP siden sidst")
    item = services.agenda_item_add(meeting=team, by=personas.leader, title="Årshjulet")
    held = _plan(personas.leader, "SSP-team Vestervang", days=1)
    held_item = services.agenda_item_add(meeting=held, by=personas.leader, title="Årshjulet")
    # Time travel: the meeting took place yesterday.
    Meeting.objects.filter(pk=held.pk).update(starts_at=_at(-1, 10), ends_at=_at(-1, 12))
    return World(
        team=team,
        monday=_plan(personas.consultant, "Mandagsgruppen (§115)"),
        held=held,
        item=item,
        held_item=held_item,
    )


def _statuses(default: int, **overrides: int) -> dict[str, int]:
    return statuses(PERSONAS, default, **overrides)


SIGNED_IN = _statuses(200)
GLOSTRUP_BODY = _statuses(200, neighbour=404, outsider=404)
# SSP-team Vestervang: members leader (chair), consultant (coordinator), police, social, club.
TEAM_SEES = _statuses(404, consultant=200, leader=200, police=200, social=200, club=200, admin=200)
# The §115 group: members consultant (chair), police, social.
MONDAY_SEES = _statuses(404, consultant=200, police=200, social=200, admin=200)


TEAM_PARTICIPANTS = ("consultant", "leader", "police", "social", "club")


def _team_participants(ok: int) -> dict[str, int]:
    return {**TEAM_SEES, **dict.fromkeys(TEAM_PARTICIPANTS, ok)}


def _team_manages(ok: int) -> dict[str, int]:
    """The team meeting's organisers get `ok`; its other participants 403; the rest 404."""
    return {**TEAM_SEES, **dict.fromkeys(("police", "social", "club"), 403)} | dict.fromkeys(
        ("leader", "consultant", "admin"), ok
    )


def _team_organisers(ok: int) -> dict[str, int]:
    """Planning for the team: its organisers get `ok`, other Glostrup staff (who see the
    team) 403, everyone else 404."""
    return _statuses(403, leader=ok, consultant=ok, admin=ok, neighbour=404, outsider=404)


def _meeting_data(world: World) -> dict:
    return {
        "title": "Teammøde",
        "date": (timezone.localdate() + timedelta(days=10)).isoformat(),
        "start_time": "10:00",
        "end_time": "12:00",
    }


def _team(path: str = "") -> Callable[[World], str]:
    return lambda world: f"/moeder/{world.team.pk}/{path}"


def _team_body(path: str = "") -> Callable[[World], str]:
    return lambda world: f"/moeder/organ/{world.team.body_id}/{path}"


def _standing_item(world: World) -> str:
    item = services.standing_item_add(body=world.team.body, title="Fast punkt")
    return f"/moeder/organ/{world.team.body_id}/faste-punkter/{item.pk}/fjern/"


def _held(path: str = "") -> Callable[[World], str]:
    return lambda world: f"/moeder/{world.held.pk}/{path}"


def _decision(meeting: str) -> Callable[[World], str]:
    """The decision page of the first item of the team meeting (`team`) or the held one."""

    def url(world: World) -> str:
        item = world.held_item if meeting == "held" else world.item
        return f"/moeder/{item.meeting_id}/dagsorden/{item.pk}/beslutning/"

    return url


def _club_task(world: World) -> str:
    """A task from the held meeting for the club worker, who takes part but does not manage."""
    decision = services.decision_add(
        item=world.held_item,
        by=world.held.organiser,
        text="Klubben tager kontakt",
        task_title="Ring til klubben",
        responsible=Person.objects.get(user__email="klub@demo.ssp"),
    )
    return f"/moeder/opgave/{decision.task.pk}/loest/"


MINUTES_ROWS = [
    Row("minutes_edit", "GET", _held("referat/"), _team_manages(200)),
    Row(
        "minutes_edit",
        "POST",
        _held("referat/"),
        _team_manages(302),
        lambda world: {f"item_{world.held_item.pk}": "Årshjulet blev gennemgået."},
    ),
    # Minutes are written once the meeting has begun.
    Row(
        "minutes_edit",
        "POST",
        _team("referat/"),
        _team_manages(422),
        lambda world: {f"item_{world.item.pk}": "For tidligt."},
    ),
    Row("minutes_approve", "POST", _held("referat/godkend/"), _team_manages(302)),
    Row("minutes_approve", "GET", _held("referat/godkend/"), _statuses(405)),
    Row("minutes_pdf", "GET", _held("referat.pdf"), TEAM_SEES),
    Row("minutes_pdf", "GET", lambda world: f"/moeder/{world.monday.pk}/referat.pdf", MONDAY_SEES),
    Row("minutes_pdf", "POST", _held("referat.pdf"), _statuses(405)),
    Row("decision_add", "GET", _decision("held"), _team_manages(200)),
    Row(
        "decision_add",
        "POST",
        _decision("held"),
        _team_manages(302),
        lambda world: {"text": "Årshjulet godkendes."},
    ),
    Row(
        "decision_add",
        "POST",
        _decision("team"),
        _team_manages(422),
        lambda world: {"text": "For tidligt."},
    ),
    # The responsible person ticks a task off, as do the meeting's organisers.
    Row(
        "task_done",
        "POST",
        _club_task,
        {**_team_manages(302), "club": 302},
    ),
    Row("task_done", "GET", _club_task, _statuses(405)),
]


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("Plan.pdf", PDF, "application/pdf")


def _attachment(world: World) -> AgendaAttachment:
    return services.attachment_add(item=world.item, by=world.team.organiser, upload=_pdf())


ATTACHMENT_ROWS = [
    Row(
        "attachment_add",
        "POST",
        lambda world: f"/moeder/{world.team.pk}/dagsorden/{world.item.pk}/bilag/",
        _team_manages(302),
        lambda world: {"file": _pdf()},
    ),
    Row(
        "attachment_add",
        "GET",
        lambda world: f"/moeder/{world.team.pk}/dagsorden/{world.item.pk}/bilag/",
        _statuses(405),
    ),
    Row(
        "attachment_download",
        "GET",
        lambda world: f"/moeder/{world.team.pk}/bilag/{_attachment(world).pk}/",
        TEAM_SEES,
    ),
    # An attachment is found only under its own meeting.
    Row(
        "attachment_download",
        "GET",
        lambda world: f"/moeder/{world.held.pk}/bilag/{_attachment(world).pk}/",
        _statuses(404),
    ),
    Row(
        "attachment_remove",
        "POST",
        lambda world: f"/moeder/{world.team.pk}/bilag/{_attachment(world).pk}/fjern/",
        _team_manages(302),
    ),
]


def _this_school_year() -> int:
    return school_year_of(timezone.localdate())


def _nordvang_plan(ok: int) -> dict[str, int]:
    """SSP-team Nordvang's year plan: its members police2 and social, and the consultant and
    administrator who organise it (its chair has no login)."""
    return _statuses(404, consultant=ok, police2=ok, social=ok, admin=ok)


def _nordvang_edit(world: World) -> str:
    return f"/moeder/organ/{_body('SSP-team Nordvang').pk}/aarsplan/{_this_school_year()}/ret/"


def _nordvang_organisers(ok: int) -> dict[str, int]:
    return _statuses(403, consultant=ok, admin=ok, neighbour=404, outsider=404)


def _nordvang_plan_unchanged(world: World) -> dict[str, str]:
    """The demo plan of SSP-team Nordvang as it is: saving it changes no meeting."""
    plan = SchoolYearPlan.objects.get(body__name="SSP-team Nordvang")
    series = plan.series
    return {
        "title": series.title,
        "next_date": services.next_series_date(plan).isoformat(),
        "last_date": series.last_date.isoformat(),
        "interval_weeks": str(series.interval_weeks),
        "start_time": series.start_time.strftime("%H:%M"),
        "end_time": series.end_time.strftime("%H:%M"),
        "location": series.location,
    }


YEAR_PLAN_ROWS = [
    Row(
        "standing_item_add",
        "POST",
        _team_body("faste-punkter/"),
        _team_organisers(302),
        lambda world: {"title": "Eventuelt"},
    ),
    Row("standing_item_add", "GET", _team_body("faste-punkter/"), _statuses(405)),
    Row("standing_item_remove", "POST", _standing_item, _team_organisers(302)),
    Row("year_plan", "GET", _team_body("aarsplan/"), TEAM_SEES),
    Row(
        "year_plan",
        "GET",
        lambda world: f"/moeder/organ/{_body('SSP-team Nordvang').pk}/aarsplan/",
        _nordvang_plan(200),
    ),
    # The §115 group is no school team: it has no year plan.
    Row(
        "year_plan",
        "GET",
        lambda world: f"/moeder/organ/{world.monday.body_id}/aarsplan/",
        _statuses(404),
    ),
    Row(
        "planning_meeting_create",
        "GET",
        lambda world: _team_body(f"aarsplan/{_this_school_year() + 1}/planlaegningsmoede/")(world),
        _team_organisers(200),
    ),
    Row(
        "year_plan_create",
        "GET",
        lambda world: _team_body(f"aarsplan/{_this_school_year()}/ny/")(world),
        _team_organisers(200),
    ),
    # Editing a laid plan: those who organise the team (for Nordvang the consultant and the
    # administrator); its members and other Glostrup staff see the team but may not (403).
    Row("year_plan_edit", "GET", _nordvang_edit, _nordvang_organisers(200)),
    Row(
        "year_plan_edit",
        "POST",
        _nordvang_edit,
        _nordvang_organisers(302),
        _nordvang_plan_unchanged,
    ),
    # A school year without a plan has nothing to edit.
    Row(
        "year_plan_edit",
        "GET",
        lambda world: _team_body(f"aarsplan/{_this_school_year() + 1}/ret/")(world),
        _team_organisers(404),
    ),
    Row(
        "school_year_overview",
        "GET",
        lambda world: f"/moeder/skoleaar/{world.team.body.municipality_id}/",
        _statuses(404, consultant=200, admin=200),
    ),
]


def _statistics(path: str = "") -> Callable[[World], str]:
    return lambda world: f"/statistik/{world.team.body.municipality_id}/{path}"


# Glostrup's statistics: its staff (the police in part only); others do not work there. The
# statistics are the reports app's URLs, named with their namespace.
STATISTICS_ROWS = [
    # One municipality: straight to its statistics; several or none: a list.
    Row(
        "reports:statistics_index",
        "GET",
        lambda world: "/statistik/",
        _statuses(302, police=200, police2=200, admin=200, outsider=200),
    ),
    Row("reports:statistics", "GET", _statistics(), GLOSTRUP_BODY),
    Row("reports:statistics", "POST", _statistics(), _statuses(405)),
    Row("reports:statistics_csv", "GET", _statistics("statistik.csv"), GLOSTRUP_BODY),
    Row("reports:statistics_xlsx", "GET", _statistics("statistik.xlsx"), GLOSTRUP_BODY),
    Row("reports:statistics_pdf", "GET", _statistics("aarsstatus.pdf"), GLOSTRUP_BODY),
    # The status's cover commentary is the consultants' and administrators' to write.
    Row(
        "reports:statistics_status",
        "GET",
        _statistics("aarsstatus/"),
        _statuses(403, consultant=200, admin=200, neighbour=404, outsider=404),
    ),
    Row(
        "reports:statistics_status",
        "POST",
        _statistics("aarsstatus/"),
        _statuses(403, consultant=302, admin=302, neighbour=404, outsider=404),
        lambda world: {"kommentar": "Flere bekymringer om efteråret end sidste år."},
    ),
    # Filters a user typed wrong: the page says so (422), an export goes back to it.
    Row(
        "reports:statistics",
        "GET",
        _statistics("?fra=2026-05-01&til=2026-01-01"),
        _statuses(422, neighbour=404, outsider=404),
    ),
    Row(
        "reports:statistics_csv",
        "GET",
        _statistics("statistik.csv?fra=x"),
        _statuses(302, neighbour=404, outsider=404),
    ),
]

ROWS = [
    Row("dashboard", "GET", lambda world: "/", SIGNED_IN),
    Row("my_meetings", "GET", lambda world: "/moeder/", SIGNED_IN),
    Row("body_meetings", "GET", _team_body(), GLOSTRUP_BODY),
    Row("meeting_create", "GET", _team_body("nyt/"), _team_organisers(200)),
    Row("meeting_create", "POST", _team_body("nyt/"), _team_organisers(302), _meeting_data),
    Row(
        "meeting_create",
        "GET",
        lambda world: f"/moeder/organ/{world.monday.body_id}/nyt/",
        _statuses(403, consultant=200, admin=200, neighbour=404, outsider=404),
    ),
    Row("series_create", "GET", _team_body("serie/"), _team_organisers(200)),
    Row(
        "series_create",
        "POST",
        _team_body("serie/"),
        _team_organisers(302),
        lambda world: {
            "title": "Teammøder",
            "first_date": (timezone.localdate() + timedelta(days=3)).isoformat(),
            "last_date": (timezone.localdate() + timedelta(days=60)).isoformat(),
            "interval_weeks": "2",
            "start_time": "14:00",
            "end_time": "15:30",
            "skip_holidays": "on",
        },
    ),
    Row("meeting_detail", "GET", _team(), TEAM_SEES),
    Row("meeting_detail", "GET", lambda world: f"/moeder/{world.monday.pk}/", MONDAY_SEES),
    Row("meeting_edit", "GET", _team("rediger/"), _team_manages(200)),
    Row("meeting_edit", "POST", _team("rediger/"), _team_manages(302), _meeting_data),
    Row(
        "meeting_edit",
        "GET",
        lambda world: f"/moeder/{world.monday.pk}/rediger/",
        {**MONDAY_SEES, "police": 403, "social": 403},
    ),
    Row("meeting_cancel", "GET", _team("aflys/"), _team_manages(200)),
    Row(
        "meeting_cancel",
        "POST",
        _team("aflys/"),
        _team_manages(302),
        lambda world: {"reason": "Sygdom"},
    ),
    # Participants answer; the administrator sees the meeting but is not invited.
    Row(
        "rsvp",
        "POST",
        _team("svar/"),
        {**_team_participants(302), "admin": 422},
        lambda world: {"rsvp": "yes"},
    ),
    Row("rsvp", "GET", _team("svar/"), _statuses(405)),
    Row(
        "guest_add",
        "POST",
        _team("gaest/"),
        _team_manages(302),
        lambda world: {"person": Person.objects.get(full_name="Henrik Holm").pk},
    ),
    # Attendance is refused (422) days before the meeting, and taken at a held one.
    Row("attendance", "POST", _team("fremmoede/"), _team_manages(422), lambda world: {}),
    Row(
        "attendance",
        "POST",
        lambda world: f"/moeder/{world.held.pk}/fremmoede/",
        _team_manages(302),
        lambda world: {"present": [world.held.participants.first().pk]},
    ),
    Row("agenda_item_add", "GET", _team("dagsorden/"), _team_manages(200)),
    Row(
        "agenda_item_add",
        "POST",
        _team("dagsorden/"),
        _team_manages(302),
        lambda world: {"title": "Eventuelt"},
    ),
    Row(
        "agenda_item_move",
        "POST",
        lambda world: f"/moeder/{world.team.pk}/dagsorden/{world.item.pk}/flyt/",
        _team_manages(302),
        lambda world: {"direction": "up"},
    ),
    Row(
        "agenda_item_remove",
        "POST",
        lambda world: f"/moeder/{world.team.pk}/dagsorden/{world.item.pk}/fjern/",
        _team_manages(302),
    ),
    # An item of another meeting is not found under this one.
    Row(
        "agenda_item_remove",
        "POST",
        lambda world: f"/moeder/{world.held.pk}/dagsorden/{world.item.pk}/fjern/",
        _team_manages(404),
    ),
    Row("meeting_ics", "GET", _team("moede.ics"), TEAM_SEES),
    Row("meeting_ics", "GET", lambda world: f"/moeder/{world.monday.pk}/moede.ics", MONDAY_SEES),
    Row("calendar_settings", "GET", lambda world: "/kalender/", SIGNED_IN),
    *YEAR_PLAN_ROWS,
    *MINUTES_ROWS,
    *ATTACHMENT_ROWS,
    *STATISTICS_ROWS,
    Row(
        "calendar_settings",
        "POST",
        lambda world: "/kalender/",
        SIGNED_IN,
        lambda world: {"action": "create"},
    ),
]

# Each row's URL and data are built from the `world` fixture.
TABLE = Table(namespace="meetings", rows=ROWS, personas=(*PERSONAS, ANONYMOUS))


@pytest.mark.parametrize(("row", "persona"), TABLE.params())
def test_permission_table(
    row: Row,
    persona: str,
    personas: Personas,
    world: World,
    client: Client,
    stored_files_removed: None,
) -> None:
    url = row.url(world)
    sign_in(client, persona, personas)

    check(client, row, persona, url=url, data=row.data(world) if row.data else {})


def test_every_meeting_url_has_rows_in_the_table() -> None:
    names = url_names("meetings") - {"calendar_feed"}
    # Registration's URLs have their table in tests/meetings/test_registration.py.
    covered = {row.name for row in ROWS} | {row.name for row in registration_table.ROWS}
    assert names - covered == set(), f"meeting URLs without permission rows: {names - covered}"
    assert "dashboard" in covered


def test_the_calendar_feed_needs_no_login_but_a_valid_token(
    client: Client, personas: Personas, world: World
) -> None:
    token = services.feed_create(user=personas.police)

    assert client.get(f"/kalender/{token}.ics").status_code == 200
    assert client.post(f"/kalender/{token}.ics").status_code == 405
    assert client.get(f"/kalender/{token}x.ics").status_code == 404
    client.force_login(personas.police)
    assert client.get("/kalender/ukendt.ics").status_code == 404


# The redacted agenda ------------------------------------------------------------------------


@pytest.fixture
def case_item(personas: Personas, world: World) -> AgendaItem:
    """The §115 group's case put on SSP-team Vestervang's agenda by the consultant."""
    return services.agenda_item_add(
        meeting=world.team,
        by=personas.consultant,
        title="Bekymring om hashsalg",
        description="Drøftes med klubben og skolen.",
        case=Case.objects.get(young_person__full_name=MONDAY_CASE),
        purpose="Koordinere indsatsen omkring skolestart",
        criteria=ALL_CRITERIA,
    )


HIDDEN_DETAILS = (
    MONDAY_CASE,
    "Bekymring om hashsalg",
    "Drøftes med klubben og skolen.",
    "Koordinere indsatsen omkring skolestart",
)


# The item gives SSP-team Vestervang a §115 basis for the case: every member of the team reads
# it from then on. The administrator, who sees the municipality's meetings, does not.
@pytest.mark.parametrize("persona", ["admin"])
@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx-partial"])
def test_a_reader_who_may_not_see_the_case_gets_a_redacted_item(
    client: Client,
    personas: Personas,
    world: World,
    case_item: AgendaItem,
    persona: str,
    htmx: bool,
) -> None:
    client.force_login(personas[persona])
    headers = {"HX-Request": "true"} if htmx else {}

    response = client.get(f"/moeder/{world.team.pk}/", {"part": "agenda"}, headers=headers)

    assert response.status_code == 200
    page = response.content.decode()
    assert REDACTED in page
    assert ("<h1>" in page) is not htmx
    for detail in HIDDEN_DETAILS:
        assert detail not in page, f"LEAK: {persona} sees {detail!r} of a case they may not see"
    assert f"/sager/{case_item.case_id}/" not in page


@pytest.mark.parametrize("persona", ["consultant", "police", "social", "leader", "club"])
def test_a_reader_who_may_see_the_case_gets_the_name_and_the_item(
    client: Client, personas: Personas, world: World, case_item: AgendaItem, persona: str
) -> None:
    client.force_login(personas[persona])

    page = client.get(f"/moeder/{world.team.pk}/").content.decode()

    for detail in HIDDEN_DETAILS:
        assert detail in page, f"{persona} may see the case but misses {detail!r}"
    assert REDACTED not in page


def test_a_case_the_user_cannot_see_is_refused_when_posted_through_the_page(
    client: Client, personas: Personas, world: World
) -> None:
    case = Case.objects.get(young_person__full_name=MONDAY_CASE)
    client.force_login(personas.leader)
    form = client.get(f"/moeder/{world.team.pk}/dagsorden/").content.decode()
    assert MONDAY_CASE not in form, "LEAK: the case list offers a case the leader may not see"
    before = list(world.team.agenda_items.values_list("pk", flat=True))
    events = case.events.count()

    response = client.post(
        f"/moeder/{world.team.pk}/dagsorden/",
        {
            "title": "En ung",
            "case": case.pk,
            "purpose": "Koordinere",
            **dict.fromkeys(SHARE_CRITERIA, "on"),
        },
    )

    assert response.status_code == 422
    page = response.content.decode()
    assert "Det valg, du har foretaget, er ikke blandt de tilgængelige valgmuligheder." in page
    assert MONDAY_CASE not in page
    assert list(world.team.agenda_items.values_list("pk", flat=True)) == before
    assert case.events.count() == events


def test_a_case_without_the_three_criteria_is_refused_through_the_page(
    client: Client, personas: Personas, world: World
) -> None:
    case = Case.objects.get(young_person__full_name="Demo-Mikkel Eksempelsen")
    client.force_login(personas.leader)

    response = client.post(
        f"/moeder/{world.team.pk}/dagsorden/",
        {"title": "Mikkel", "case": case.pk, "purpose": "Koordinere", "part_of_ssp": "on"},
    )

    assert response.status_code == 422
    assert (
        "Bekræft alle tre betingelser efter §115, før sagen sættes på dagsordenen."
        in response.content.decode()
    )
    assert world.team.agenda_items.filter(case=case).exists() is False


def test_a_body_page_lists_only_the_meetings_the_reader_may_see(
    client: Client, personas: Personas, world: World
) -> None:
    team_link = f'href="/moeder/{world.team.pk}/"'
    client.force_login(personas.consultant)
    assert team_link in client.get(f"/moeder/organ/{world.team.body_id}/").content.decode()

    # police2 may see SSP-team Vestervang itself (an organ of her municipality), not its meetings.
    client.force_login(personas.police2)
    response = client.get(f"/moeder/organ/{world.team.body_id}/")

    assert response.status_code == 200
    assert team_link not in response.content.decode(), "LEAK: police2 sees the team's meeting"
    assert team_link not in client.get("/moeder/").content.decode()


def test_an_answer_to_a_cancelled_meeting_through_the_page_is_refused_with_a_message(
    client: Client, personas: Personas, world: World
) -> None:
    services.meeting_cancel(meeting=world.team, reason="Sygdom")
    client.force_login(personas.police)

    response = client.post(f"/moeder/{world.team.pk}/svar/", {"rsvp": "yes"})

    assert response.status_code == 422
    assert "Mødet er aflyst; der er ikke noget at svare på." in response.content.decode()
    assert world.team.participants.exclude(rsvp="").count() == 0
