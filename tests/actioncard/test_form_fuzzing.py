"""Hostile strings in the ActionCard's editorial forms: starting an edition, its texts and
guide, and a correction of the published card. The public pages show these texts to anyone,
so nothing may render live. The machinery is in tests/fuzzing.py."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from actioncard import services
from actioncard.models import Edition, GuideEntry
from forum.models import Municipality
from tests.actioncard.conftest import YEAR
from tests.fuzzing import FUZZ_SETTINGS, Endpoint, Refused, Text, post_and_check, sign_in
from tests.personas import Personas

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class World:
    glostrup: Municipality
    draft: Edition
    published: Edition | None


def _texts(world: World) -> dict[str, str]:
    edition = Edition.objects.get(pk=world.draft.pk)
    return {
        "foreword": edition.foreword,
        "purpose": edition.purpose,
        "guide-0-advice": GuideEntry.objects.filter(edition=edition).latest("pk").advice,
    }


ENDPOINTS = [
    Endpoint(
        "edition_start",
        "admin",
        lambda world: f"/handlekort/redaktion/kommune/{world.glostrup.pk}/ny/",
        fields={"year": Refused()},
        rows=lambda world: Edition.objects.count(),
    ),
    Endpoint(
        "edition_texts",
        "admin",
        lambda world: f"/handlekort/redaktion/{world.draft.pk}/tekster/",
        fields={
            "foreword": Text(5000, required=False, multiline=True),
            "purpose": Text(5000, required=False, multiline=True),
            "guide-0-advice": Text(1000, multiline=True),
        },
        base=lambda world: {
            "guide-TOTAL_FORMS": "1",
            "guide-INITIAL_FORMS": "0",
            "guide-MIN_NUM_FORMS": "0",
            "guide-MAX_NUM_FORMS": "1000",
            "guide-0-situation": "Når der er uro",
        },
        stored=_texts,
    ),
    Endpoint(
        "edition_correct",
        "admin",
        lambda world: f"/handlekort/redaktion/{world.published.pk}/ret/",
        fields={"note": Text(2000, multiline=True)},
        # A refused correction goes back to the edition with the error as a message.
        refused_status=302,
        stored=lambda world: {"note": Edition.objects.latest("pk").correction_note},
        rows=lambda world: Edition.objects.count(),
    ),
]


@pytest.fixture
def world(
    personas: Personas, glostrup: Municipality, endpoint: Endpoint, request: pytest.FixtureRequest
) -> World:
    # Publishing renders a PDF: only the correction needs a published card.
    published = request.getfixturevalue("published") if endpoint.name == "edition_correct" else None
    draft = services.edition_start(municipality=glostrup, year=YEAR + 1, by=personas.admin)
    return World(glostrup=glostrup, draft=draft, published=published)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
@FUZZ_SETTINGS
@given(data=st.data())
def test_hostile_input_is_refused_or_stored_as_typed_and_never_rendered_live(
    client: Client, personas: Personas, world: World, endpoint: Endpoint, data: st.DataObject
) -> None:
    sign_in(client, personas, endpoint)
    post_and_check(client, endpoint, world, data.draw(endpoint.values()))
