"""Who gets what on every prevention URL: a table of (persona, URL, expected status), and
leak tests: what a persona reaches, and what stays hidden.

SSP-team Vestervang's prevention work is read by its members (leader, consultant, police,
social, club), by the municipality's consultant and by its administrator; police2 works in
Glostrup and sees the team in the organisation but not its work (403 on the body's pages, 404
on its records); neighbour and outsider do not see the team at all (404). Members log
activities; the leads (leader as chair, the consultant) keep projects and plans; the police
change only their own activities; administrators read only.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from forum.models import Body, Municipality
from meetings import services as meeting_services
from meetings.models import Meeting, SchoolYearPlan, school_year_of
from meetings.permissions import meetings_visible_to
from prevention import permissions, services
from prevention.models import Activity, ActivityKind, AnnualPlan, Project
from prevention.services import ActivityData
from ssp.models import Sector
from tests.factories import AffiliationFactory
from tests.permission_table import ANONYMOUS, Row, Table, check, sign_in, statuses, url_names
from tests.personas import PERSONA_NAMES, Personas

pytestmark = pytest.mark.django_db

PERSONAS = PERSONA_NAMES
TEAM = "SSP-team Vestervang"


def _body(name: str) -> Body:
    return Body.objects.get(name=name, municipality__code="161")


@dataclass(frozen=True)
class World:
    team: Body
    by_leader: Activity  # logged by the leader (the team's chair), its day has come
    by_police: Activity  # logged by the police officer, a member of the team
    project: Project
    plan: AnnualPlan
    meeting: Meeting  # the team's coming meeting, where its plan can be approved


@pytest.fixture
def world(personas: Personas) -> World:
    team = _body(TEAM)
    yesterday = timezone.localdate() - timedelta(days=1)
    by_leader = services.activity_create(
        body=team,
        by=personas.leader,
        data=ActivityData(
            kind=ActivityKind.TEACHING, title="Tabelundervisning", planned_on=yesterday
        ),
    )
    by_police = services.activity_create(
        body=team,
        by=personas.police,
        data=ActivityData(kind=ActivityKind.TEACHING, title="Politiets time", planned_on=yesterday),
    )
    project = services.project_create(
        body=team,
        by=personas.leader,
        title="Tabelprojekt",
        goal="Et mål",
        starts_on=yesterday,
        ends_on=yesterday + timedelta(days=200),
    )
    plan = services.plan_create(
        body=team,
        by=personas.leader,
        title="Tabelplan",
        starts_on=yesterday,
        ends_on=yesterday + timedelta(days=300),
    )
    soon = timezone.localdate() + timedelta(days=5)
    meeting = meeting_services.meeting_create(
        body=team,
        organiser=personas.leader,
        title="Teammøde",
        starts_at=timezone.make_aware(datetime.combine(soon, time(14))),
        ends_at=timezone.make_aware(datetime.combine(soon, time(15))),
        notify=False,
    )
    return World(team, by_leader, by_police, project, plan, meeting)


def _s(default: int, **overrides: int) -> dict[str, int]:
    return statuses(PERSONAS, default, **overrides)


SIGNED_IN = _s(200)
# The team's readers; police2 sees the team in the organisation but not its work.
READS_TEAM = _s(200, police2=403, neighbour=404, outsider=404)
# A record of the team: invisible to whoever does not read the team.
TEAM_RECORD = _s(200, police2=404, neighbour=404, outsider=404)
# Logging for the team: its members and the consultant.
WRITES_TEAM = _s(403, neighbour=404, outsider=404)
LEADS_TEAM = _s(403, police2=403, neighbour=404, outsider=404)


def _writes(ok: int) -> dict[str, int]:
    return {
        **WRITES_TEAM,
        **dict.fromkeys(("consultant", "leader", "police", "social", "club"), ok),
    }


def _leads(ok: int, base: dict[str, int] = LEADS_TEAM) -> dict[str, int]:
    return {**base, "consultant": ok, "leader": ok}


def _team(path: str = "") -> Callable[[World], str]:
    return lambda world: f"/forebyggelse/organ/{world.team.pk}/{path}"


def _activity(which: str, path: str = "") -> Callable[[World], str]:
    return lambda world: f"/forebyggelse/aktivitet/{getattr(world, which).pk}/{path}"


def _activity_data(world: World) -> dict[str, str]:
    return {
        "kind": ActivityKind.PARENT_MEETING,
        "title": "Forældremøde",
        "planned_on": timezone.localdate().isoformat(),
        "prevention_kind": "proactive",
        "level": "general",
        "parents": "25",
    }


def _street_data(world: World) -> dict[str, str]:
    return {
        "body": str(world.team.pk),
        "planned_on": timezone.localdate().isoformat(),
        "time_of_day": "21:00",
        "place": "Stationen",
        "young_people": "7",
        "mood": "calm",
    }


def _counselling_data(world: World) -> dict[str, str]:
    return {
        "body": str(world.team.pk),
        "planned_on": timezone.localdate().isoformat(),
        "asked_by": "parent",
        "topic": "drugs",
        "outcome": "advice",
    }


def _activity_plan(world: World) -> str:
    return f"/forebyggelse/aktivitetsplan/{world.team.municipality_id}/"


def _wheel(world: World) -> str:
    return f"/forebyggelse/aarshjul/{world.team.municipality_id}/"


def _january(world: World) -> Meeting:
    return Meeting.objects.get(body__name="SSP-Følgen")


# A quick log for a body the persona does not log for is refused by the form (422): police2
# logs in other bodies; the administrator and the outsiders log in none (403).
QUICK_LOG_GET = _s(200, admin=403, neighbour=403, outsider=403)
QUICK_LOG_POST = _s(302, police2=422, admin=403, neighbour=403, outsider=403)


def _nordvang_wheel(world: World, years_ahead: int = 0) -> str:
    team = _body("SSP-team Nordvang")
    year = school_year_of(timezone.localdate()) + years_ahead
    return f"/forebyggelse/organ/{team.pk}/aarsplan/{year}/aktiviteter/"


def _nordvang_wheel_unchanged(world: World) -> dict[str, str]:
    """The demo year wheel of SSP-team Nordvang as it is: saving it changes no activity."""
    plan = SchoolYearPlan.objects.get(body__name="SSP-team Nordvang")
    data = {}
    for activity in services.coming_activities(plan):
        data[f"planned_on_{activity.pk}"] = activity.planned_on.isoformat()
        data[f"responsible_{activity.pk}"] = str(activity.responsible_id or "")
    return data


ROWS = [
    Row("index", "GET", lambda world: "/forebyggelse/", SIGNED_IN),
    Row("street_round", "GET", lambda world: "/forebyggelse/gadeplan/", QUICK_LOG_GET),
    Row(
        "street_round",
        "POST",
        lambda world: "/forebyggelse/gadeplan/",
        QUICK_LOG_POST,
        _street_data,
    ),
    Row("counselling", "GET", lambda world: "/forebyggelse/raadgivning/", QUICK_LOG_GET),
    Row(
        "counselling",
        "POST",
        lambda world: "/forebyggelse/raadgivning/",
        QUICK_LOG_POST,
        _counselling_data,
    ),
    Row("body", "GET", _team(), READS_TEAM),
    # The Kredsråd and ad-hoc groups keep no prevention records.
    Row(
        "body",
        "GET",
        lambda world: f"/forebyggelse/organ/{Body.objects.get(kind='kredsraad').pk}/",
        _s(404),
    ),
    Row("activity_create", "GET", _team("aktivitet/ny/"), _writes(200)),
    Row("activity_create", "POST", _team("aktivitet/ny/"), _writes(302), _activity_data),
    Row("activity_detail", "GET", _activity("by_leader"), TEAM_RECORD),
    # Its author and the leads change an activity; the other members and the admin read it.
    Row(
        "activity_edit",
        "GET",
        _activity("by_leader", "rediger/"),
        _leads(200, {**TEAM_RECORD, **dict.fromkeys(("police", "social", "club", "admin"), 403)}),
    ),
    # The police change their own; nobody else's.
    Row(
        "activity_edit",
        "GET",
        _activity("by_police", "rediger/"),
        {
            **_leads(200, {**TEAM_RECORD, **dict.fromkeys(("social", "club", "admin"), 403)}),
            "police": 200,
        },
    ),
    Row(
        "activity_edit",
        "POST",
        _activity("by_leader", "rediger/"),
        _leads(302, {**TEAM_RECORD, **dict.fromkeys(("police", "social", "club", "admin"), 403)}),
        _activity_data,
    ),
    Row(
        "activity_done",
        "POST",
        _activity("by_leader", "gennemfoert/"),
        {
            **TEAM_RECORD,
            **dict.fromkeys(("consultant", "leader", "social", "club"), 302),
            "police": 403,
            "admin": 403,
        },
        lambda world: {"pupils": "40"},
    ),
    Row("activity_done", "GET", _activity("by_leader", "gennemfoert/"), _s(405)),
    Row("project_create", "GET", _team("projekt/ny/"), _leads(200)),
    Row(
        "project_create",
        "POST",
        _team("projekt/ny/"),
        _leads(302),
        lambda world: {
            "title": "Nyt projekt",
            "goal": "Mål",
            "starts_on": timezone.localdate().isoformat(),
            "ends_on": (timezone.localdate() + timedelta(days=90)).isoformat(),
            "status": "planned",
        },
    ),
    Row(
        "project_detail",
        "GET",
        lambda world: f"/forebyggelse/projekt/{world.project.pk}/",
        TEAM_RECORD,
    ),
    Row(
        "project_edit",
        "GET",
        lambda world: f"/forebyggelse/projekt/{world.project.pk}/rediger/",
        _leads(200, {**TEAM_RECORD, **dict.fromkeys(("police", "social", "club", "admin"), 403)}),
    ),
    Row("plan_create", "GET", _team("aarsplan/ny/"), _leads(200)),
    Row(
        "plan_create",
        "POST",
        _team("aarsplan/ny/"),
        _leads(302),
        lambda world: {
            "title": "Årsplan",
            "starts_on": (timezone.localdate() + timedelta(days=30)).isoformat(),
            "ends_on": (timezone.localdate() + timedelta(days=395)).isoformat(),
        },
    ),
    Row(
        "plan_detail", "GET", lambda world: f"/forebyggelse/aarsplan/{world.plan.pk}/", TEAM_RECORD
    ),
    Row(
        "plan_approve",
        "POST",
        lambda world: f"/forebyggelse/aarsplan/{world.plan.pk}/godkend/",
        _leads(302, {**TEAM_RECORD, **dict.fromkeys(("police", "social", "club", "admin"), 403)}),
        lambda world: {"meeting": str(world.meeting.pk)},
    ),
    # The teaching and activity plan: the consultant and the administrator, and the members of
    # SSP-Følgen (only the consultant has a login among them); the administrator reads it.
    Row("activity_plan", "GET", _activity_plan, _s(404, consultant=200, admin=200)),
    Row(
        "activity_plan",
        "POST",
        lambda world: (
            f"{_activity_plan(world)}?aar={school_year_of(timezone.localdate(_january(world).starts_at))}"
        ),
        _s(404, consultant=302, admin=403),
        lambda world: {"meeting": str(_january(world).pk)},
    ),
    # The year wheel: whoever reads a body of the municipality; police2 reads the bodies they
    # sit in. The readiness board: the consultant and the administrator; the members see the
    # municipality (403), the outsiders do not (404).
    Row("org_wheel", "GET", lambda world: _wheel(world), _s(200, neighbour=404, outsider=404)),
    Row(
        "org_wheel",
        "GET",
        lambda world: f"{_wheel(world)}?aar=x&organ={world.team.pk}",
        _s(200, neighbour=404, outsider=404),
    ),
    Row(
        "readiness",
        "GET",
        lambda world: f"{_wheel(world)}parathed/",
        _s(403, consultant=200, admin=200, neighbour=404, outsider=404),
    ),
    # Approval needs the meeting at which it was given.
    Row(
        "activity_plan",
        "POST",
        _activity_plan,
        _s(404, consultant=422, admin=403),
        lambda world: {"note": "Uden møde"},
    ),
    # A school team's laid year plan: its coming activities are moved by those who organise the
    # team's meetings (for SSP-team Nordvang the consultant and the administrator); its members
    # and other Glostrup staff see the team but may not (403).
    Row(
        "year_wheel_edit",
        "GET",
        _nordvang_wheel,
        _s(403, consultant=200, admin=200, neighbour=404, outsider=404),
    ),
    Row(
        "year_wheel_edit",
        "POST",
        _nordvang_wheel,
        _s(403, consultant=302, admin=302, neighbour=404, outsider=404),
        _nordvang_wheel_unchanged,
    ),
    # A school year without a plan has nothing to edit.
    Row(
        "year_wheel_edit",
        "GET",
        lambda world: _nordvang_wheel(world, years_ahead=1),
        _s(403, consultant=404, admin=404, neighbour=404, outsider=404),
    ),
]

TABLE = Table(namespace="prevention", rows=ROWS, personas=(*PERSONAS, ANONYMOUS))


@pytest.mark.parametrize(("row", "persona"), TABLE.params())
def test_permission_table(
    row: Row, persona: str, personas: Personas, world: World, client: Client
) -> None:
    url = row.url(world)
    sign_in(client, persona, personas)

    check(client, row, persona, url=url, data=row.data(world) if row.data else {})


def test_every_prevention_url_has_rows_in_the_table() -> None:
    names = url_names("prevention")
    covered = {row.name for row in ROWS}
    assert names - covered == set(), f"prevention URLs without permission rows: {names - covered}"


# Leaks --------------------------------------------------------------------------------------


def test_an_activity_is_reached_by_exactly_those_who_read_its_body(personas: Personas) -> None:
    """Over the whole demo year (every kind, every body): a persona reaches an activity if and
    only if they read its body, and never one of a municipality they do not work in."""
    sample = list(Activity.objects.order_by("body_id", "kind", "pk").distinct("body_id", "kind"))
    assert len({a.body_id for a in sample}) >= 6, "the demo holds a year of prevention work"
    for name in PERSONAS:
        user = personas[name]
        readable = set(permissions.bodies_readable_by(user).values_list("pk", flat=True))
        visible = set(permissions.activities_visible_to(user).values_list("pk", flat=True))
        for activity in sample:
            assert (activity.pk in visible) is (activity.body_id in readable), (
                f"{name} and {activity.title!r} of {activity.body_id}: "
                f"reached {activity.pk in visible}, reads the body {activity.body_id in readable}"
            )
    assert (
        not permissions.activities_visible_to(personas.neighbour)
        .filter(municipality__code="161")
        .exists()
    ), "neighbour (Albertslund) reaches Glostrup's prevention work"
    assert not permissions.activities_visible_to(personas.outsider).exists()


def test_a_body_page_shows_its_own_work_and_nothing_of_other_bodies(
    client: Client, personas: Personas, world: World
) -> None:
    client.force_login(personas.leader)
    year = timezone.localdate().year

    page = client.get(f"/forebyggelse/organ/{world.team.pk}/", {"aar": year}).content.decode()

    assert "Tabelundervisning" in page
    nordvang = Activity.objects.filter(body__name="SSP-team Nordvang").first()
    assert nordvang is not None
    assert f"/forebyggelse/aktivitet/{nordvang.pk}/" not in page, (
        "Nordvang's work on Vestervang's page"
    )


def test_the_overview_lists_only_the_bodies_a_persona_reads(
    client: Client, personas: Personas, world: World
) -> None:
    client.force_login(personas.police2)

    page = client.get("/forebyggelse/").content.decode()

    assert "SSP-team Nordvang" in page
    assert f"/forebyggelse/organ/{world.team.pk}/" not in page, "police2 is led to Vestervang"
    assert "Tabelundervisning" not in page


def _linked(page: str, pattern: str) -> set[int]:
    return {int(pk) for pk in re.findall(pattern, page)}


def test_the_org_wheel_places_only_what_each_persona_may_see(
    client: Client, personas: Personas, world: World
) -> None:
    """Every meeting and activity on Glostrup's wheel (linked as an expected item or listed in
    its month) is one the reader may open; the team's meetings and activities reach its
    members and not police2, who sits in another team."""
    year = timezone.localdate().year
    for name in ("consultant", "leader", "police", "police2", "social", "club", "admin"):
        user = personas[name]
        client.force_login(user)
        page = client.get(_wheel(world), {"aar": year}).content.decode()
        meetings = _linked(page, r'href="/moeder/(\d+)/"')
        activities = _linked(page, r'href="/forebyggelse/aktivitet/(\d+)/"')
        visible_meetings = set(meetings_visible_to(user).values_list("pk", flat=True))
        visible_activities = set(
            permissions.activities_visible_to(user).values_list("pk", flat=True)
        )
        assert meetings <= visible_meetings, (
            f"LEAK: {name} is shown meetings {meetings - visible_meetings}"
        )
        assert activities <= visible_activities, (
            f"LEAK: {name} is shown activities {activities - visible_activities}"
        )
        reads_team = name != "police2"
        assert (world.by_leader.pk in activities) is reads_team, f"{name} and the team's activity"
        if name in ("leader", "consultant", "police2"):
            assert (world.meeting.pk in meetings) is reads_team, f"{name} and the team's meeting"


def test_a_municipalitys_board_is_not_shown_to_another_municipalitys_consultant(
    client: Client, personas: Personas, world: World
) -> None:
    albertslund = Municipality.objects.get(code="165")
    neighbour_consultant = AffiliationFactory(
        municipality=albertslund, is_ssp_consultant=True, user__sector=Sector.SSP_SECRETARIAT
    ).user
    client.force_login(neighbour_consultant)

    glostrup = client.get(f"{_wheel(world)}parathed/")
    own = client.get(f"/forebyggelse/aarshjul/{albertslund.pk}/parathed/")
    wheel = client.get(_wheel(world))

    assert (glostrup.status_code, wheel.status_code, own.status_code) == (404, 404, 200)
    page = own.content.decode()
    for body in Body.objects.filter(municipality=world.team.municipality):
        assert body.name not in page, f"LEAK: Glostrup's {body.name} on Albertslund's board"
    client.force_login(personas.consultant)
    assert client.get(f"/forebyggelse/aarshjul/{albertslund.pk}/parathed/").status_code == 404
