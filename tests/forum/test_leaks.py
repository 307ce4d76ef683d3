"""What stays hidden: staff of one municipality never see another's people, units or bodies,
in lists, searches, filters or Django admin."""

from __future__ import annotations

import pytest
from django.test import Client

from forum import services
from forum.models import Municipality, Person
from tests.personas import Personas

pytestmark = pytest.mark.django_db

GLOSTRUP_ONLY = ("Lars Lund", "Kirsten Kragh", "Sara Skov")
ALBERTSLUND_ONLY = ("Nina Nielsen", "Ole Olsen", "Rikke Rasmussen")


def _names_in(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    return response.content.decode()


def test_directory_shows_a_neighbour_only_their_own_municipality(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.neighbour)

    page = _names_in(client.get("/organisation/aktoerer/"))

    for name in ALBERTSLUND_ONLY:
        assert name in page, f"{name} (Albertslund) is missing from an Albertslund user's directory"
    for name in GLOSTRUP_ONLY:
        assert name not in page, f"LEAK: {name} (Glostrup) shown to Albertslund-only staff"
    assert "Varmeværket" not in page, "LEAK: a Glostrup unit shown to Albertslund-only staff"


def test_searching_for_another_municipalitys_person_finds_nothing(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.neighbour)

    # The results partial (as htmx asks for it) leaves out the search box echoing the query.
    page = _names_in(
        client.get("/organisation/aktoerer/", {"q": "Lars Lund"}, headers={"HX-Request": "true"})
    )

    assert "Lars Lund" not in page, "LEAK: search found a Glostrup person for Albertslund staff"
    assert "0 personer" in page


def test_the_municipality_filter_cannot_reach_a_foreign_municipality(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.neighbour)
    glostrup = Municipality.objects.get(code="161")

    page = _names_in(client.get("/organisation/aktoerer/", {"municipality": glostrup.pk}))

    for name in GLOSTRUP_ONLY:
        assert name not in page, f"LEAK: ?municipality= exposed {name} from Glostrup"


def test_an_outsider_sees_no_people_and_no_units(client: Client, personas: Personas) -> None:
    client.force_login(personas.outsider)

    page = _names_in(client.get("/organisation/aktoerer/", {"q": ""}))

    assert "0 personer" in page
    assert "0 enheder" in page
    for person in Person.objects.all():
        assert person.full_name not in page, f"LEAK: {person.full_name} shown to an outsider"


def test_albertslunds_organisation_lists_none_of_glostrups_bodies(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.neighbour)
    albertslund = Municipality.objects.get(code="165")

    page = _names_in(client.get(f"/organisation/kommune/{albertslund.pk}/"))

    assert "SSP-team Herstedvester" in page
    assert "Kredsrådet for Københavns Vestegn" in page, "the shared Kredsråd belongs in both trees"
    for body in ("SSP-team Vestervang", "Mandagsgruppen (§115)", "SSP-Følgen"):
        assert body not in page, f"LEAK: Glostrup's {body} in Albertslund's tree"


def test_django_admin_lists_only_the_administrators_municipalities(
    client: Client, personas: Personas
) -> None:
    glostrup = Municipality.objects.get(code="161")
    # An administrator of Glostrup alone, so Albertslund's rows must stay hidden.
    services.affiliation_set(
        user=personas.admin, municipality=glostrup, is_administrator=True, by=None
    )
    services.affiliation_remove(
        user=personas.admin, municipality=Municipality.objects.get(code="165")
    )
    client.force_login(personas.admin)

    page = _names_in(client.get("/admin/forum/person/"))
    bodies = _names_in(client.get("/admin/forum/body/"))

    assert "Lars Lund" in page
    for name in ALBERTSLUND_ONLY:
        assert name not in page, f"LEAK: Django admin lists {name} from Albertslund"
    assert "SSP-team Vestervang" in bodies
    assert "SSP-team Herstedvester" not in bodies, "LEAK: Django admin lists an Albertslund body"
    foreign = Person.objects.get(full_name="Ole Olsen")
    assert client.get(f"/admin/forum/person/{foreign.pk}/change/").status_code == 302, (
        "Django admin must not open another municipality's person"
    )


def test_staff_who_administer_nothing_cannot_use_django_admin(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.consultant)

    response = client.get("/admin/forum/person/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
