"""Working on a case through its pages: status, details, notes, actions, consent, the case
list and search, and the timeline.

Sharing under §115 and the ad-hoc group are in test_case_sharing.py.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from cases import selectors, services
from cases.models import (
    Action,
    Basis,
    Case,
    CaseEvent,
    CaseEventKind,
    CaseStatus,
    Consent,
    ConsentStatus,
    Note,
    PreventionKind,
    PreventionLevel,
)
from forum.models import Body, Municipality, Person
from tests.factories import CaseFactory
from tests.personas import Personas

pytestmark = pytest.mark.django_db

MIKKEL = "Demo-Mikkel Eksempelsen"  # SSP-team Vestervang, active, one note
EMMA = "Demo-Emma Eksempeldatter"  # SSP-team Vestervang, closed
OLIVER = "Demo-Oliver Påfundsen"  # SSP-team Søndervang, shared with Pia Pedersen


def _case(name: str) -> Case:
    return Case.objects.get(young_person__full_name=name)


def _new_case(personas: Personas) -> Case:
    """An open case at SSP-team Vestervang about a new young person."""
    return CaseFactory(
        municipality=Municipality.objects.get(code="161"),
        young_person__full_name="Test-Bo Testesen",
        young_person__birth_date=date(2011, 5, 6),
        responsible_body=Body.objects.get(name="SSP-team Vestervang"),
        opened_by=personas.consultant,
    )


def _post(client: Client, user, url: str, data: dict | None = None):  # type: ignore[no-untyped-def]
    client.force_login(user)
    return client.post(url, data or {})


def _page(client: Client, user, url: str) -> str:  # type: ignore[no-untyped-def]
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, f"{user} got {response.status_code} on {url}"
    return response.content.decode()


def _status_texts(case: Case) -> list[str]:
    return list(
        CaseEvent.objects.filter(case=case, kind=CaseEventKind.STATUS)
        .order_by("at", "id")
        .values_list("text", flat=True)
    )


# --- Status ----------------------------------------------------------------------------------


def test_a_case_moves_from_open_to_active_to_follow_up_to_closed(
    client: Client, personas: Personas
) -> None:
    case = _new_case(personas)
    url = f"/sager/{case.pk}/status/"
    assert case.status == CaseStatus.OPEN

    for status, reason in [
        (CaseStatus.ACTIVE, ""),
        (CaseStatus.FOLLOW_UP, ""),
        (CaseStatus.CLOSED, "Bekymringen er afklaret."),
    ]:
        response = _post(client, personas.consultant, url, {"status": status, "reason": reason})
        assert response.status_code == 302, f"moving to {status} was refused"
        case.refresh_from_db()
        assert case.status == status

    assert case.closed_at is not None
    assert _status_texts(case) == [
        "Åben → Aktiv",
        "Aktiv → Opfølgning",
        "Opfølgning → Lukket: Bekymringen er afklaret.",
    ]


def test_closing_a_case_needs_a_reason(client: Client, personas: Personas) -> None:
    case = _new_case(personas)

    response = _post(client, personas.consultant, f"/sager/{case.pk}/status/", {"status": "closed"})

    assert response.status_code == 422
    assert "Skriv en begrundelse." in response.content.decode()
    case.refresh_from_db()
    assert (case.status, case.closed_at) == (CaseStatus.OPEN, None)


def test_a_case_cannot_skip_a_step(client: Client, personas: Personas) -> None:
    case = _new_case(personas)

    response = _post(
        client, personas.consultant, f"/sager/{case.pk}/status/", {"status": "follow_up"}
    )

    assert response.status_code == 422
    assert "Sagen kan ikke gå fra »Åben« til »Opfølgning«." in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN


def test_reopening_a_closed_case_needs_a_reason(client: Client, personas: Personas) -> None:
    case = _case(EMMA)
    url = f"/sager/{case.pk}/status/"

    refused = _post(client, personas.consultant, url, {"status": "open", "reason": "  "})
    case.refresh_from_db()
    assert refused.status_code == 422
    assert "Skriv en begrundelse." in refused.content.decode()
    assert case.status == CaseStatus.CLOSED

    reopened = _post(client, personas.consultant, url, {"status": "open", "reason": "Ny uro."})
    case.refresh_from_db()
    assert reopened.status_code == 302
    assert (case.status, case.closed_at) == (CaseStatus.OPEN, None)
    assert _status_texts(case)[-1] == "Lukket → Åben: Ny uro."


def test_a_team_member_may_not_reopen_a_closed_case_but_its_coordinator_may(
    client: Client, personas: Personas
) -> None:
    case = _case(EMMA)  # Lars Lund chairs SSP-team Vestervang, which handles the case
    url = f"/sager/{case.pk}/status/"

    response = _post(client, personas.leader, url, {"status": "open", "reason": "Ny uro."})
    case.refresh_from_db()
    assert response.status_code == 403
    assert case.status == CaseStatus.CLOSED

    case.coordinator = personas.leader
    case.save(update_fields=["coordinator"])
    response = _post(client, personas.leader, url, {"status": "open", "reason": "Ny uro."})
    case.refresh_from_db()
    assert response.status_code == 302
    assert case.status == CaseStatus.OPEN


def test_a_team_member_moves_an_open_case_along(client: Client, personas: Personas) -> None:
    case = _new_case(personas)

    response = _post(client, personas.social, f"/sager/{case.pk}/status/", {"status": "active"})

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIVE


def test_a_police_officer_in_the_team_reads_but_never_moves_the_case(
    client: Client, personas: Personas
) -> None:
    case = _case(MIKKEL)  # Vestervang, with a §115 basis for the team

    response = _post(client, personas.police, f"/sager/{case.pk}/status/", {"status": "closed"})
    page = _page(client, personas.police, f"/sager/{case.pk}/")

    assert response.status_code == 403
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIVE
    for form in ("/status/", "/samtykke/", "/rediger/", "/gruppe/", "/del/", "/indsats/"):
        assert f'/sager/{case.pk}{form}"' not in page, f"police are offered {form}"
    assert f'/sager/{case.pk}/notat/"' in page


def test_someone_who_only_reads_a_shared_case_cannot_change_its_status(
    client: Client, personas: Personas
) -> None:
    case = _case(OLIVER)

    response = _post(client, personas.police2, f"/sager/{case.pk}/status/", {"status": "closed"})

    assert response.status_code == 403
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIVE


# --- Details ---------------------------------------------------------------------------------


def test_the_consultant_edits_level_kind_body_coordinator_and_follow_up(
    client: Client, personas: Personas
) -> None:
    case = _case(MIKKEL)
    nordvang = Body.objects.get(name="SSP-team Nordvang")
    follow_up = timezone.localdate() + timedelta(days=30)
    assert "Rediger oplysninger" in _page(client, personas.consultant, f"/sager/{case.pk}/")

    response = _post(
        client,
        personas.consultant,
        f"/sager/{case.pk}/rediger/",
        {
            "level": PreventionLevel.SPECIFIC,
            "prevention_kind": PreventionKind.PROACTIVE,
            "responsible_body": nordvang.pk,
            "coordinator": personas.leader.pk,
            "follow_up_on": follow_up.isoformat(),
            "basis_part_of_ssp": "on",
            "basis_relevant": "on",
            "basis_necessary": "on",
            "basis_purpose": "Nordvangs lokalbetjent kender den unges nye omgangskreds.",
        },
    )

    assert response.status_code == 302
    case.refresh_from_db()
    assert (
        case.level,
        case.prevention_kind,
        case.responsible_body,
        case.coordinator,
        case.follow_up_on,
    ) == (PreventionLevel.SPECIFIC, PreventionKind.PROACTIVE, nordvang, personas.leader, follow_up)
    assert CaseEvent.objects.filter(case=case, kind=CaseEventKind.DETAILS).count() == 1
    # Access follows the responsible body: the basis Vestervang got when the case was opened
    # ends, so its police officer Peter Poulsen loses the case; Nordvang's Pia Pedersen reads it
    # through the basis given with the edit, and the new coordinator keeps it.
    old_basis = Basis.objects.get(case=case, body__name="SSP-team Vestervang")
    assert (old_basis.end_reason, old_basis.ended_by) == ("group_closed", personas.consultant)
    new_basis = Basis.objects.get(case=case, body=nordvang)
    assert (new_basis.origin, new_basis.ended_at) == ("case_opened", None)
    client.force_login(personas.police)
    assert client.get(f"/sager/{case.pk}/").status_code == 404
    page = _page(client, personas.police2, f"/sager/{case.pk}/")
    assert "Specifik · Proaktiv" in page
    assert "Lars Lund" in page


def test_a_body_that_does_not_handle_cases_cannot_be_made_responsible(
    client: Client, personas: Personas
) -> None:
    case = _case(MIKKEL)
    forum_body = Body.objects.get(name="SSP-Forum Glostrup")

    response = _post(
        client,
        personas.consultant,
        f"/sager/{case.pk}/rediger/",
        {
            "level": case.level,
            "prevention_kind": case.prevention_kind,
            "responsible_body": forum_body.pk,
        },
    )

    assert response.status_code == 422
    assert "data-error-summary" in response.content.decode()
    case.refresh_from_db()
    assert case.responsible_body.name == "SSP-team Vestervang"


def test_only_the_consultant_or_the_coordinator_edits_a_case(
    client: Client, personas: Personas
) -> None:
    case = _case(MIKKEL)
    client.force_login(personas.leader)
    assert client.get(f"/sager/{case.pk}/rediger/").status_code == 403

    services.case_update_details(
        case=case,
        by=personas.consultant,
        level=case.level,
        prevention_kind=case.prevention_kind,
        responsible_body=case.responsible_body,
        coordinator=personas.leader,
        follow_up_on=None,
    )

    assert client.get(f"/sager/{case.pk}/rediger/").status_code == 200


# --- Notes -----------------------------------------------------------------------------------


def test_a_note_restricted_to_the_social_sector_is_hidden_from_police_on_the_same_case(
    client: Client, personas: Personas
) -> None:
    case = _case(MIKKEL)  # Sara Skov (social) and Peter Poulsen (police) are both in Vestervang
    url = f"/sager/{case.pk}/notat/"

    restricted = _post(
        client,
        personas.social,
        url,
        {"text": "Familien har en sag i Familieafsnittet.", "restricted": "on"},
    )
    open_note = _post(client, personas.social, url, {"text": "Mødet er flyttet til tirsdag."})

    assert restricted.status_code == open_note.status_code == 302
    note = Note.objects.get(text="Familien har en sag i Familieafsnittet.")
    assert (note.author, note.restricted_to_sector) == (personas.social, "social")
    assert "Familien har en sag" in _page(client, personas.social, f"/sager/{case.pk}/")
    for persona in ("police", "consultant"):
        page = _page(client, personas[persona], f"/sager/{case.pk}/")
        assert "Mødet er flyttet til tirsdag." in page
        assert "Familien har en sag" not in page, f"LEAK: restricted note shown to {persona}"


def test_an_empty_note_is_refused(client: Client, personas: Personas) -> None:
    case = _case(MIKKEL)
    notes = case.notes.count()

    response = _post(client, personas.police, f"/sager/{case.pk}/notat/", {"text": "   "})

    assert response.status_code == 422
    assert "data-error-summary" in response.content.decode()
    assert case.notes.count() == notes


# --- Actions ---------------------------------------------------------------------------------


def test_an_action_with_a_responsible_person_and_a_due_date_is_added_and_completed(
    client: Client, personas: Personas
) -> None:
    case = _case(MIKKEL)
    sara = Person.objects.get(municipality__code="161", full_name="Sara Skov")
    due = timezone.localdate() + timedelta(days=14)
    assert _page(client, personas.consultant, f"/sager/{case.pk}/indsats/")

    response = _post(
        client,
        personas.consultant,
        f"/sager/{case.pk}/indsats/",
        {"title": "Samtale med mor", "responsible": sara.pk, "due_on": due.isoformat()},
    )

    assert response.status_code == 302
    action = Action.objects.get(case=case)
    assert (action.title, action.responsible, action.due_on, action.done_on) == (
        "Samtale med mor",
        sara,
        due,
        None,
    )
    assert "Samtale med mor – Sara Skov" in _page(client, personas.police, f"/sager/{case.pk}/")

    refused = _post(client, personas.police, f"/sager/{case.pk}/indsats/{action.pk}/udfoert/")
    done = _post(client, personas.social, f"/sager/{case.pk}/indsats/{action.pk}/udfoert/")

    assert (refused.status_code, done.status_code) == (403, 302)
    action.refresh_from_db()
    assert action.done_on == timezone.localdate()
    page = _page(client, personas.police, f"/sager/{case.pk}/")
    assert "Udført: Samtale med mor" in page
    assert f"/indsats/{action.pk}/udfoert/" not in page


def test_an_action_cannot_be_completed_twice(client: Client, personas: Personas) -> None:
    case = _case(MIKKEL)
    action = services.action_add(case=case, by=personas.consultant, title="Hjemmebesøg")
    yesterday = timezone.localdate() - timedelta(days=1)
    services.action_complete(action=action, by=personas.consultant, done_on=yesterday)

    response = _post(client, personas.consultant, f"/sager/{case.pk}/indsats/{action.pk}/udfoert/")

    assert response.status_code == 302
    action.refresh_from_db()
    assert action.done_on == yesterday
    page = client.get(response["Location"]).content.decode()
    assert "Indsatsen er allerede markeret som udført." in page


def test_an_action_cannot_be_given_to_someone_from_another_municipality(
    client: Client, personas: Personas
) -> None:
    case = _case(MIKKEL)
    nina = Person.objects.get(full_name="Nina Nielsen")

    response = _post(
        client,
        personas.consultant,
        f"/sager/{case.pk}/indsats/",
        {"title": "Samtale", "responsible": nina.pk},
    )

    assert response.status_code == 422
    assert not Action.objects.filter(case=case).exists()


# --- Consent ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "label"),
    [
        (ConsentStatus.OBTAINED, "Samtykke givet"),
        (ConsentStatus.REFUSED, "Samtykke afvist"),
        (ConsentStatus.NOT_SOUGHT, "Samtykke ikke indhentet"),
    ],
)
def test_consent_is_recorded_with_reason_who_and_when(
    client: Client, personas: Personas, status: str, label: str
) -> None:
    case = _case(MIKKEL)  # seeded with consent obtained from the parents

    response = _post(
        client,
        personas.social,
        f"/sager/{case.pk}/samtykke/",
        {"status": status, "given_by": "Mor", "reason": "Drøftet på mødet"},
    )

    assert response.status_code == 302
    consent = Consent.objects.filter(case=case).latest("recorded_at")
    assert (consent.status, consent.given_by, consent.reason, consent.recorded_by) == (
        status,
        "Mor",
        "Drøftet på mødet",
        personas.social,
    )
    assert abs(consent.recorded_at - timezone.now()) < timedelta(minutes=1)
    page = _page(client, personas.consultant, f"/sager/{case.pk}/")
    assert f"{label}, Mor – Drøftet på mødet" in page
    # The field history: the consent before (seeded: obtained) → the one recorded now.
    assert (
        f"<strong>Samtykke registreret</strong>: Samtykke givet → {label}: Drøftet på mødet" in page
    )


def test_consent_without_a_status_is_refused(client: Client, personas: Personas) -> None:
    case = _case(MIKKEL)
    consents = case.consents.count()

    response = _post(client, personas.social, f"/sager/{case.pk}/samtykke/", {"given_by": "Mor"})

    assert response.status_code == 422
    assert case.consents.count() == consents


# --- Case list and search --------------------------------------------------------------------


def _listed(response) -> set[str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.status_code
    return set(re.findall(r"<td[^>]*>(Demo-[^<]+|Test-[^<]+)</td>", response.content.decode()))


def test_the_case_list_filters_by_status_and_keeps_the_filters_in_the_form(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.consultant)

    response = client.get("/sager/", {"q": "Demo", "status": "active"})

    assert _listed(response) == {MIKKEL, "Demo-Jonas Fiktivsen", "Demo-Amalie Tænktsen", OLIVER}
    page = response.content.decode()
    assert 'name="q" value="Demo"' in page
    assert '<option value="active" selected>' in page


def test_the_next_page_link_keeps_the_search_and_the_filters(
    client: Client, personas: Personas
) -> None:
    glostrup = Municipality.objects.get(code="161")
    vestervang = Body.objects.get(name="SSP-team Vestervang")
    for number in range(26):
        CaseFactory(
            municipality=glostrup,
            young_person__full_name=f"Test-Side {number:02}",
            responsible_body=vestervang,
            opened_by=personas.consultant,
        )
    client.force_login(personas.consultant)

    first = client.get("/sager/", {"q": "Test-Side", "status": "open"})
    next_link = re.search(r'href="(\?[^"]*)" rel="next"', first.content.decode())
    assert next_link, "the first page links to the next"
    next_address = next_link.group(1).replace("&amp;", "&")
    assert next_address.startswith("?q=Test-Side&status=open&efter=")
    second = client.get("/sager/" + next_address)

    assert len(_listed(first)) == 25
    assert len(_listed(second)) == 1
    assert _listed(first) | _listed(second) == {f"Test-Side {n:02}" for n in range(26)}
    previous = re.search(r'href="(\?[^"]*)" rel="prev"', second.content.decode())
    assert previous, "the second page links back"
    assert previous.group(1).startswith("?q=Test-Side&amp;status=open&amp;foer=")
    assert _listed(client.get("/sager/" + previous.group(1).replace("&amp;", "&"))) == _listed(
        first
    )


def test_the_case_list_filters_by_responsible_body(client: Client, personas: Personas) -> None:
    client.force_login(personas.consultant)
    soendervang = Body.objects.get(name="SSP-team Søndervang")

    response = client.get("/sager/", {"body": soendervang.pk})

    assert _listed(response) == {"Demo-Amalie Tænktsen", OLIVER}
    assert f'<option value="{soendervang.pk}" selected>' in response.content.decode()


def test_a_search_for_a_name_finds_the_case(client: Client, personas: Personas) -> None:
    client.force_login(personas.consultant)

    assert _listed(client.get("/sager/", {"q": "mikkel"})) == {MIKKEL}


def test_a_slightly_misspelled_name_still_finds_the_case(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.consultant)

    assert _listed(client.get("/sager/", {"q": "Mikel Eksempelsen"})) == {MIKKEL}


def test_a_search_finds_words_in_the_concern_text(client: Client, personas: Personas) -> None:
    client.force_login(personas.consultant)

    assert _listed(client.get("/sager/", {"q": "knive"})) == {OLIVER}


def test_a_search_finds_nothing_the_user_may_not_see(client: Client, personas: Personas) -> None:
    client.force_login(personas.police2)  # reads Oliver's case only through a share

    assert _listed(client.get("/sager/", {"q": "Mikkel"})) == set()
    assert _listed(client.get("/sager/", {"q": "Oliver"})) == {OLIVER}


def test_a_search_for_a_cpr_number_is_refused(client: Client, personas: Personas) -> None:
    client.force_login(personas.consultant)

    response = client.get("/sager/", {"q": "010110-4123"})

    assert response.status_code == 422
    assert "Søg ikke på CPR-nummer her" in response.content.decode()
    listed = re.findall(r"<td[^>]*>(Demo-[^<]+)</td>", response.content.decode())
    assert listed == [], "a refused search must not list every case"


def test_an_htmx_search_returns_only_the_results(client: Client, personas: Personas) -> None:
    client.force_login(personas.consultant)

    response = client.get("/sager/", {"q": "mikkel"}, headers={"HX-Request": "true"})

    assert _listed(response) == {MIKKEL}
    assert "<form" not in response.content.decode()
    assert '<p role="status">1 sag</p>' in response.content.decode()


# --- Timeline --------------------------------------------------------------------------------


def test_the_timeline_is_in_chronological_order_across_concerns_notes_and_events(
    client: Client, personas: Personas
) -> None:
    case = _case(MIKKEL)
    services.note_add(case=case, author=personas.police, text="Senest: ringede til mor.")

    timeline = selectors.case_timeline(user=personas.consultant, case=case)

    assert [entry.at for entry in timeline] == sorted(entry.at for entry in timeline)
    assert timeline[0].kind == "concern"
    assert timeline[-1].obj.text == "Senest: ringede til mor."
    page = _page(client, personas.consultant, f"/sager/{case.pk}/")
    order = [
        "»nemme penge«",  # the concern, submitted before the case was opened
        "Sagen er oprettet",
        "Samtykke registreret",
        "Forældremøde aftalt",  # a note, written before the status changed
        "Åben → Aktiv",
        "Senest: ringede til mor.",
    ]
    positions = [page.index(text) for text in order]
    assert positions == sorted(positions), f"timeline out of order: {order}"
