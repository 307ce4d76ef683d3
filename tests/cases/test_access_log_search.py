"""The access log is searched by the young person's name, CPR number or case number, by the
municipality's administrators and its SSP consultants, each within their own municipalities.
The consultant sees whom a search found by name and CPR number and the search terms people
typed; the administrator sees ids and case numbers, never a name. A CPR number never stands in
an address, and the search itself is logged."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.test import Client

from cases.models import Case
from forum import services as forum_services
from ssp.models import AuditAction, AuditEvent
from tests.cases.access_log_helpers import (
    CPR,
    MASKED_CPR,
    NAME,
    World,
    albertslund,
    glostrup,
    last_event_id,
    log_search,
    world_with_cleanup,
)
from tests.csv_export import read_export
from tests.html import without_cell_labels
from tests.personas import Personas

pytestmark = pytest.mark.django_db

NOAH = "Demo-Noah Nulsen"
OLIVER = "Demo-Oliver Påfundsen"
HIDDEN = "(skjult for administratorer)"


@pytest.fixture
def world(personas: Personas) -> Iterator[World]:
    yield from world_with_cleanup(personas)


def _case(name: str) -> Case:
    return Case.objects.get(young_person__full_name=name)


def _read(user, case: Case) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    assert client.get(f"/sager/{case.pk}/").status_code == 200


@pytest.fixture
def albertslund_consultant(personas: Personas):  # type: ignore[no-untyped-def]
    forum_services.affiliation_set(
        user=personas.neighbour, municipality=albertslund(), is_ssp_consultant=True, by=None
    )
    return personas.neighbour


# --- Each reader within their own municipalities ----------------------------------------


def test_a_consultant_finds_the_reads_of_their_municipality_by_name(
    personas: Personas, client: Client, albertslund_consultant
) -> None:  # type: ignore[no-untyped-def]
    noah, oliver = _case(NOAH), _case(OLIVER)
    _read(personas.police2, noah)
    _read(personas.police2, oliver)
    client.force_login(albertslund_consultant)

    status, found = log_search(client, young_person="Noah")

    assert status == 200
    reads = {(e.user_email, e.object_id) for e in found if e.action == AuditAction.VIEW}
    assert ("politi2@demo.ssp", str(noah.pk)) in reads
    assert {e.municipality_id for e in found} == {albertslund().pk}


def test_a_consultant_cannot_find_another_municipalitys_events(
    personas: Personas, client: Client, albertslund_consultant
) -> None:  # type: ignore[no-untyped-def]
    noah, oliver = _case(NOAH), _case(OLIVER)
    _read(personas.police2, noah)
    _read(personas.police2, oliver)

    client.force_login(personas.consultant)
    by_name = log_search(client, young_person="Noah")
    by_number = log_search(client, young_person=str(noah.pk))
    by_id = client.get("/adgangslog/", {"subject": noah.young_person_id})
    everything = client.get("/adgangslog/eksport.csv").streaming_content
    exported = b"".join(everything).decode()
    client.force_login(albertslund_consultant)
    oliver_seen_from_albertslund = log_search(client, young_person="Oliver")

    assert by_name == (200, []), "LEAK: Glostrup's consultant finds Noah (Albertslund) by name"
    assert by_number == (200, []), "LEAK: Glostrup's consultant finds Noah by case number"
    assert list(by_id.context["page_obj"].object_list) == [], "LEAK: found by Noah's id"
    assert f"cases.case;{noah.pk};" not in exported, "LEAK: Albertslund's log in Glostrup's CSV"
    assert oliver_seen_from_albertslund == (200, []), (
        "LEAK: Albertslund's consultant finds Oliver (Glostrup)"
    )


def test_a_search_the_reader_has_no_right_to_resolves_to_no_one(
    world: World, client: Client, albertslund_consultant
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(albertslund_consultant)

    response = client.post("/adgangslog/", {"young_person": CPR})

    assert response.status_code == 200
    assert response.context["subjects"] == []
    assert NAME not in response.content.decode()
    assert "Ingen ung i dine kommuner passer på søgningen." in response.content.decode()


# --- Who the search found, as each role may see it --------------------------------------


def test_the_consultant_sees_whom_the_search_found_by_name_and_cpr(
    world: World, personas: Personas, client: Client
) -> None:
    client.force_login(personas.consultant)

    response = client.post("/adgangslog/", {"young_person": str(world.case.pk)})

    section = _subjects_section(response.content.decode())
    assert NAME in section
    assert MASKED_CPR in section
    assert f"sag {world.case.pk}" in section


def test_the_administrator_sees_the_id_and_case_numbers_never_the_name_or_cpr(
    world: World, personas: Personas, client: Client
) -> None:
    client.force_login(personas.admin)

    response = client.post("/adgangslog/", {"young_person": str(world.case.pk)})

    page = response.content.decode()
    section = _subjects_section(page)
    assert f"Den unge med id {world.young_person.pk}" in section
    assert f"sag {world.case.pk}" in section
    assert NAME not in page, "LEAK: the administrator's log page names the young person"
    assert MASKED_CPR not in page, "LEAK: the administrator's log page shows the CPR number"


def _subjects_section(page: str) -> str:
    match = re.search(
        r'<section class="mt-6" aria-labelledby="audit-subjects">.*?</section>', page, re.S
    )
    assert match, "the page does not say whom the search found"
    return match.group(0)


def test_search_terms_are_shown_to_the_consultant_and_withheld_from_the_administrator(
    world: World, personas: Personas, client: Client
) -> None:
    client.force_login(personas.leader)
    assert client.get("/sager/", {"q": "Testesen"}).status_code == 200

    client.force_login(personas.consultant)
    as_consultant = without_cell_labels(
        client.post("/adgangslog/", {"user": "leder@demo.ssp"}).content.decode()
    )
    consultant_csv = _csv(client.get("/adgangslog/eksport.csv", {"user": "leder@demo.ssp"}))
    client.force_login(personas.admin)
    as_admin = without_cell_labels(
        client.post("/adgangslog/", {"user": "leder@demo.ssp"}).content.decode()
    )
    admin_csv = _csv(client.get("/adgangslog/eksport.csv", {"user": "leder@demo.ssp"}))

    assert "<td>Testesen</td>" in as_consultant
    assert [row[7] for row in consultant_csv[1:] if row[2] == "Søgt"] == ["Testesen"]
    assert "Testesen" not in as_admin, "LEAK: a search term (a name) on the administrator's page"
    assert f"<td>{HIDDEN}</td>" in as_admin
    assert "Testesen" not in "".join(",".join(row) for row in admin_csv)
    assert [row[7] for row in admin_csv[1:] if row[2] == "Søgt"] == [HIDDEN]


def _csv(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    _preamble, rows = read_export(response)
    return rows


# --- A CPR number never stands in an address ---------------------------------------------


def test_a_cpr_search_is_posted_and_its_links_carry_ids_instead(
    world: World, personas: Personas, client: Client
) -> None:
    client.force_login(personas.consultant)

    response = client.post("/adgangslog/", {"young_person": CPR})

    assert response.status_code == 200
    assert response.context["querystring"] == f"subjects={world.young_person.pk}"
    page = response.content.decode()
    assert f'href="/adgangslog/eksport.csv?subjects={world.young_person.pk}"' in page
    assert "4123" not in response.context["querystring"]
    followed = client.get("/adgangslog/eksport.csv", {"subjects": str(world.young_person.pk)})
    rows = _csv(followed)
    assert len(rows) > 5, "the link from a CPR search exports the young person's log"
    assert all(
        row[5] == str(world.young_person.pk) or str(world.young_person.pk) in row[6].split()
        for row in rows[1:]
    )


def test_a_cpr_number_in_an_address_is_refused_and_finds_nothing(
    world: World, personas: Personas, client: Client
) -> None:
    client.force_login(personas.admin)

    page = client.get("/adgangslog/", {"young_person": CPR})
    export = client.get("/adgangslog/eksport.csv", {"young_person": CPR})

    assert page.status_code == 422
    assert "Et CPR-nummer må ikke stå i adresselinjen" in page.content.decode()
    assert list(page.context["page_obj"].object_list) == []
    assert export.status_code == 422, "the export of a refused search must not be the whole log"


def test_links_edited_by_hand_find_no_one(personas: Personas, client: Client) -> None:
    client.force_login(personas.admin)

    response = client.get("/adgangslog/", {"subjects": "1;DROP TABLE"})

    assert response.status_code == 200
    assert list(response.context["page_obj"].object_list) == []


def test_an_id_finds_the_log_of_a_young_person_who_has_been_erased(
    personas: Personas, client: Client
) -> None:
    gone = 10**12
    event = AuditEvent.objects.create(
        action=AuditAction.VIEW,
        object_type="cases.case",
        subject_id=gone,
        municipality_id=glostrup().pk,
    )
    client.force_login(personas.admin)

    response = client.get("/adgangslog/", {"subject": gone})

    assert [e.pk for e in response.context["page_obj"].object_list] == [event.pk]


# --- The search is logged ---------------------------------------------------------------


def test_searching_the_log_is_logged_with_whom_it_found_and_the_term_masked(
    world: World, personas: Personas, client: Client
) -> None:
    client.force_login(personas.admin)
    before = last_event_id()

    log_search(client, young_person=CPR)

    event = AuditEvent.objects.get(id__gt=before)
    assert (event.user_email, event.action, event.object_type) == (
        "admin@demo.ssp",
        AuditAction.SEARCH,
        "ssp.auditevent",
    )
    assert (event.search_term, event.shown_subjects) == (MASKED_CPR, [world.young_person.pk])
    assert event.municipality_id == glostrup().pk
    assert event.purpose == "Søgning i adgangslog"


def test_a_consultants_search_of_the_log_is_findable_by_the_administrator(
    world: World, personas: Personas, client: Client
) -> None:
    client.force_login(personas.consultant)
    log_search(client, young_person=NAME)
    client.force_login(personas.admin)

    _status, found = log_search(client, young_person=str(world.case.pk))

    searches = [
        e
        for e in found
        if e.user_email == "konsulent@demo.ssp" and e.object_type == "ssp.auditevent"
    ]
    assert [(e.action, e.search_term) for e in searches] == [(AuditAction.SEARCH, NAME)]
