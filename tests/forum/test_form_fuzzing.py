"""Hostile strings in the organisation's forms: bodies, units and people created and edited
by the administrator, members added, and the actor directory's search (GET). The machinery
is in tests/fuzzing.py."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from forum.models import Body, Municipality, Person, Unit
from tests.fuzzing import FUZZ_SETTINGS, Endpoint, Refused, Text, post_and_check, sign_in
from tests.personas import Personas

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class World:
    glostrup: Municipality
    body: Body  # the §115 group: no unit, no parent needed
    team: Body
    unit: Unit
    person: Person  # a Glostrup person without a login


@pytest.fixture
def world(personas: Personas) -> World:
    glostrup = Municipality.objects.get(code="161")
    return World(
        glostrup=glostrup,
        body=Body.objects.get(name="Mandagsgruppen (§115)", municipality=glostrup),
        team=Body.objects.get(name="SSP-team Vestervang", municipality=glostrup),
        unit=glostrup.units.order_by("pk").first(),
        person=Person.objects.filter(municipality=glostrup, user__isnull=True)
        .order_by("pk")
        .first(),
    )


BODY_TEXT = {
    "name": Text(200),
    "purpose": Text(4000, required=False, multiline=True),
    "meeting_rhythm": Text(300, required=False),
}
UNIT_TEXT = {
    "name": Text(200),
    "address": Text(300, required=False),
    "description": Text(2000, required=False, multiline=True),
}
PERSON_TEXT = {
    "full_name": Text(200),
    "job_title": Text(200, required=False),
    "private_address": Text(300, required=False),
}


def _fields(obj: Any, names: dict[str, Text]) -> dict[str, str]:
    return {name: getattr(obj, name) for name in names}


def _latest(model: Any) -> Any:
    return model.objects.latest("pk")


def _body_base(body: Body) -> dict[str, Any]:
    return {
        "body_type": body.body_type_id,
        "parent": body.parent_id or "",
        "unit": body.unit_id or "",
    }


ENDPOINTS = [
    Endpoint(
        "body_create",
        "admin",
        lambda world: f"/organisation/kommune/{world.glostrup.pk}/organer/nyt/",
        fields=BODY_TEXT,
        # A working group sits under the municipality's SSP-Forum.
        base=lambda world: {
            "body_type": world.glostrup.body_types.get(kind="working_group").pk,
            "parent": Body.objects.get(municipality=world.glostrup, kind="ssp_forum").pk,
        },
        stored=lambda world: _fields(_latest(Body), BODY_TEXT),
        rows=lambda world: Body.objects.count(),
    ),
    Endpoint(
        "body_create_with_a_hostile_kind_and_parent",
        "admin",
        lambda world: f"/organisation/kommune/{world.glostrup.pk}/organer/nyt/",
        fields={"body_type": Refused(), "parent": Refused()},
        base=lambda world: {"name": "Arbejdsgruppe"},
        rows=lambda world: Body.objects.count(),
    ),
    Endpoint(
        "body_edit",
        "admin",
        lambda world: f"/organisation/organ/{world.body.pk}/rediger/",
        fields=BODY_TEXT,
        base=lambda world: _body_base(world.body),
        stored=lambda world: _fields(Body.objects.get(pk=world.body.pk), BODY_TEXT),
    ),
    Endpoint(
        "unit_create",
        "admin",
        lambda world: f"/organisation/kommune/{world.glostrup.pk}/enheder/ny/",
        fields=UNIT_TEXT,
        base=lambda world: {"sector": "leisure"},
        stored=lambda world: _fields(_latest(Unit), UNIT_TEXT),
        rows=lambda world: Unit.objects.count(),
    ),
    Endpoint(
        "unit_create_with_hostile_contact_details",
        "admin",
        lambda world: f"/organisation/kommune/{world.glostrup.pk}/enheder/ny/",
        fields={"phone": Refused(), "email": Refused(), "website": Refused()},
        base=lambda world: {"sector": "leisure", "name": "Klubben"},
        rows=lambda world: Unit.objects.count(),
    ),
    Endpoint(
        "unit_edit",
        "admin",
        lambda world: f"/organisation/enhed/{world.unit.pk}/rediger/",
        fields=UNIT_TEXT,
        base=lambda world: {"sector": world.unit.sector, "parent": world.unit.parent_id or ""},
        stored=lambda world: _fields(Unit.objects.get(pk=world.unit.pk), UNIT_TEXT),
    ),
    Endpoint(
        "person_create",
        "admin",
        lambda world: f"/organisation/kommune/{world.glostrup.pk}/personer/ny/",
        fields=PERSON_TEXT,
        base=lambda world: {"sector": "police"},
        stored=lambda world: _fields(_latest(Person), PERSON_TEXT),
        rows=lambda world: Person.objects.count(),
    ),
    Endpoint(
        "person_edit",
        "admin",
        lambda world: f"/organisation/person/{world.person.pk}/rediger/",
        fields=PERSON_TEXT,
        base=lambda world: {"sector": world.person.sector, "unit": world.person.unit_id or ""},
        stored=lambda world: _fields(Person.objects.get(pk=world.person.pk), PERSON_TEXT),
    ),
    Endpoint(
        "membership_add",
        "admin",
        lambda world: f"/organisation/organ/{world.team.pk}/medlemmer/",
        fields={"person": Refused(), "role": Refused()},
    ),
    Endpoint(
        "directory_search",
        "police",
        lambda world: "/organisation/aktoerer/",
        method="GET",
        fields={"q": Text(100, required=False)},
        accepted_status=200,
        # A malformed filter is shown as an error on the same page: no separate status.
        refused_status=200,
    ),
    Endpoint(
        "directory_search_with_hostile_filters",
        "police",
        lambda world: "/organisation/aktoerer/",
        method="GET",
        fields={"sector": Refused(), "municipality": Refused()},
        refused_status=200,
    ),
]


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
@FUZZ_SETTINGS
@given(data=st.data())
def test_hostile_input_is_refused_or_stored_as_typed_and_never_rendered_live(
    client: Client, personas: Personas, world: World, endpoint: Endpoint, data: st.DataObject
) -> None:
    sign_in(client, personas, endpoint)
    post_and_check(client, endpoint, world, data.draw(endpoint.values()))
