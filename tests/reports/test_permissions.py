"""Who gets what on the prevention account and the Kredsråd's samarbejdsplan: a table of
(persona, URL, expected status), run on the demo data.

The prevention account follows the statistics: every Glostrup persona opens Glostrup's (the
police and other staff see only the work of the bodies they read); neighbour and outsider work
elsewhere (404). The samarbejdsplan of Kredsrådet for Københavns Vestegn (Glostrup and
Albertslund): the consultant edits it (SSP consultant of a member municipality), the
administrator reads it; nobody else among the personas sits in the Kredsråd or oversees one
of its municipalities (404).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time

import pytest
from django.test import Client
from django.utils import timezone

from forum.models import Body, BodyKind, Municipality
from meetings import services as meeting_services
from meetings.models import Meeting
from reports import cooperation
from reports.models import CooperationPlan
from tests.permission_table import ANONYMOUS, Row, Table, check, sign_in, statuses, url_names
from tests.personas import PERSONA_NAMES, Personas

pytestmark = pytest.mark.django_db

PERSONAS = PERSONA_NAMES


@dataclass(frozen=True)
class World:
    glostrup: Municipality
    kredsraad: Body
    plan: CooperationPlan
    meeting: Meeting


@pytest.fixture
def world(personas: Personas) -> World:
    kredsraad = Body.objects.get(kind=BodyKind.KREDSRAAD, name="Kredsrådet for Københavns Vestegn")
    plan = cooperation.cooperation_plan_draft(
        kredsraad=kredsraad, year=timezone.localdate().year + 2, by=personas.consultant
    )
    # In the year before the plan's: when a Kredsråd approves next year's plan.
    soon = timezone.localdate().replace(year=plan.year - 1, month=3, day=1)
    meeting = meeting_services.meeting_create(
        body=kredsraad,
        organiser=personas.consultant,
        title="Kredsrådsmøde",
        starts_at=timezone.make_aware(datetime.combine(soon, time(10))),
        ends_at=timezone.make_aware(datetime.combine(soon, time(12))),
        notify=False,
    )
    return World(Municipality.objects.get(code="161"), kredsraad, plan, meeting)


def _s(default: int, **overrides: int) -> dict[str, int]:
    return statuses(PERSONAS, default, **overrides)


GLOSTRUP = _s(200, neighbour=404, outsider=404)
READS_PLAN = _s(404, consultant=200, admin=200)


def _edits(ok: int) -> dict[str, int]:
    return _s(404, consultant=ok, admin=403)


def _account(path: str = "") -> Callable[[World], str]:
    return lambda world: f"/statistik/{world.glostrup.pk}/forebyggelse/{path}"


def _plan(path: str = "") -> Callable[[World], str]:
    return lambda world: f"/samarbejdsplan/{world.plan.pk}/{path}"


def _sections(world: World) -> dict[str, str]:
    return {f"section_{s.pk}": s.text + " Rettet." for s in world.plan.sections.all()}


ROWS = [
    Row("prevention_account", "GET", _account(), GLOSTRUP),
    Row("prevention_account", "POST", _account(), _s(405)),
    Row(
        "prevention_account",
        "GET",
        _account("?fra=2026-05-01&til=2026-01-01"),
        _s(422, neighbour=404, outsider=404),
    ),
    Row("prevention_account_csv", "GET", _account("forebyggelsesregnskab.csv"), GLOSTRUP),
    Row("prevention_account_xlsx", "GET", _account("forebyggelsesregnskab.xlsx"), GLOSTRUP),
    Row(
        "prevention_account_xlsx",
        "GET",
        _account("forebyggelsesregnskab.xlsx?fra=x"),
        _s(302, neighbour=404, outsider=404),
    ),
    Row("cooperation_plans", "GET", lambda world: "/samarbejdsplan/", _s(200)),
    Row(
        "cooperation_plan_create",
        "POST",
        lambda world: f"/samarbejdsplan/kredsraad/{world.kredsraad.pk}/ny/",
        _edits(302),
        lambda world: {f"k{world.kredsraad.pk}-year": str(world.plan.year + 1)},
    ),
    Row(
        "cooperation_plan_create",
        "GET",
        lambda world: f"/samarbejdsplan/kredsraad/{world.kredsraad.pk}/ny/",
        _s(405),
    ),
    Row("cooperation_plan", "GET", _plan(), READS_PLAN),
    Row("cooperation_plan_edit", "POST", _plan("rediger/"), _edits(302), _sections),
    Row("cooperation_plan_refresh", "POST", _plan("opdater/"), _edits(302)),
    Row(
        "cooperation_plan_approve",
        "POST",
        _plan("godkend/"),
        _edits(302),
        lambda world: {"meeting": str(world.meeting.pk), "note": ""},
    ),
    Row("cooperation_plan_print", "GET", _plan("udskrift/"), READS_PLAN),
    Row("cooperation_plan_pdf", "GET", _plan("samarbejdsplan.pdf"), READS_PLAN),
]

TABLE = Table(namespace="reports", rows=ROWS, personas=(*PERSONAS, ANONYMOUS))


@pytest.mark.parametrize(("row", "persona"), TABLE.params())
def test_permission_table(
    row: Row, persona: str, personas: Personas, world: World, client: Client
) -> None:
    url = row.url(world)
    sign_in(client, persona, personas)

    check(client, row, persona, url=url, data=row.data(world) if row.data else {})


def test_every_new_reports_url_has_rows_in_a_table() -> None:
    """The statistics' own rows are in the meetings table (tests/meetings)."""
    names = url_names("reports") - {
        "statistics_index",
        "statistics",
        "statistics_csv",
        "statistics_xlsx",
        "statistics_pdf",
        "statistics_status",
    }
    covered = {row.name for row in ROWS}
    assert names - covered == set(), f"reports URLs without permission rows: {names - covered}"


# Leaks --------------------------------------------------------------------------------------


def test_the_plan_list_shows_the_kredsraad_plans_only_to_its_readers(
    client: Client, personas: Personas, world: World
) -> None:
    seen = {}
    for persona in PERSONAS:
        client.force_login(personas[persona])
        seen[persona] = world.plan.title in client.get("/samarbejdsplan/").content.decode()

    assert seen == {persona: persona in ("consultant", "admin") for persona in PERSONAS}, (
        f"the Kredsråd's draft leaks or hides: {seen}"
    )


def test_albertslund_staff_do_not_see_glostrups_account(
    client: Client, personas: Personas, world: World
) -> None:
    client.force_login(personas.neighbour)
    albertslund = Municipality.objects.get(code="165")

    own = client.get(f"/statistik/{albertslund.pk}/forebyggelse/")
    glostrup = client.get(f"/statistik/{world.glostrup.pk}/forebyggelse/")
    csv = client.get(f"/statistik/{world.glostrup.pk}/forebyggelse/forebyggelsesregnskab.csv")

    assert own.status_code == 200
    assert glostrup.status_code == 404, "Albertslund staff read Glostrup's prevention account"
    assert csv.status_code == 404
