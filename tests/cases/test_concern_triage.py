"""Triage of a new concern by the municipality's SSP consultant, through the concern page.

(Split from test_concerns.py to keep each file readable.) The consultant links the concern to
an existing case, opens a new case, routes it to a school team or the §115 group, or closes it
with a reason. Anyone else who can see the concern gets 403; anyone who cannot, 404.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from cases import services
from cases.models import (
    Basis,
    Case,
    CaseEvent,
    CaseEventKind,
    Concern,
    ConcernCategory,
    ConcernStatus,
    PreventionKind,
    PreventionLevel,
    SubjectKind,
    YoungPerson,
)
from forum.models import Body, Municipality
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def _glostrup() -> Municipality:
    return Municipality.objects.get(code="161")


def _freja_concern() -> Concern:
    """The seeded new concern about a Vestervang pupil, written by the club worker."""
    return Concern.objects.get(young_person__full_name="Demo-Freja Fantasisen")


def _station_concern() -> Concern:
    """The seeded new concern about a place, written by the police officer."""
    return Concern.objects.get(subject_description="Stationsforpladsen")


def _triage(client: Client, user, concern: Concern, **data: object):  # type: ignore[no-untyped-def]
    client.force_login(user)
    form = {"level": PreventionLevel.INDIVIDUAL, "prevention_kind": PreventionKind.REACTIVE}
    form.update(data)
    return client.post(f"/bekymringer/{concern.pk}/visiter/", form)


def test_the_consultant_links_a_new_concern_to_the_young_persons_existing_case(
    client: Client, personas: Personas
) -> None:
    mikkel = YoungPerson.objects.get(full_name="Demo-Mikkel Eksempelsen")
    case = Case.objects.get(young_person=mikkel)
    concern = services.concern_submit(
        author=personas.club,
        municipality=_glostrup(),
        subject_kind=SubjectKind.PERSON,
        young_person=mikkel,
        category=ConcernCategory.objects.get(municipality=_glostrup(), name="Kriminalitet"),
        description="Igen set med dyre ting.",
        observed_on=timezone.localdate(),
    )

    response = _triage(client, personas.consultant, concern, decision="link_case", case=case.pk)

    assert response.status_code == 302
    assert response["Location"] == f"/sager/{case.pk}/"
    concern.refresh_from_db()
    assert (concern.status, concern.case, concern.triaged_by) == (
        ConcernStatus.LINKED,
        case,
        personas.consultant,
    )
    linked = CaseEvent.objects.filter(case=case, kind=CaseEventKind.CONCERN_LINKED)
    assert list(linked.filter(text=f"Bekymring {concern.pk}").values_list("actor", flat=True)) == [
        personas.consultant.pk
    ]
    assert "Igen set med dyre ting." in client.get(f"/sager/{case.pk}/").content.decode()


def test_the_consultant_opens_a_new_case_that_the_school_team_can_read(
    client: Client, personas: Personas
) -> None:
    concern = _freja_concern()
    vestervang = Body.objects.get(name="SSP-team Vestervang")
    client.force_login(personas.police)
    assert client.get(f"/bekymringer/{concern.pk}/").status_code == 404

    response = _triage(
        client, personas.consultant, concern, decision="open_case", body=vestervang.pk
    )

    case = Case.objects.get(young_person__full_name="Demo-Freja Fantasisen")
    assert response.status_code == 302
    assert response["Location"] == f"/sager/{case.pk}/"
    assert (case.responsible_body, case.opened_by) == (vestervang, personas.consultant)
    concern.refresh_from_db()
    assert (concern.status, concern.case) == (ConcernStatus.LINKED, case)
    # The team's members of the handling sectors read it (R2); Peter Poulsen, the police
    # officer in the team, does not: no §115 basis was given for the team.
    for persona in ("leader", "social", "club"):
        client.force_login(personas[persona])
        assert client.get(f"/sager/{case.pk}/").status_code == 200, persona
    for persona in ("police", "police2"):
        client.force_login(personas[persona])
        assert client.get(f"/sager/{case.pk}/").status_code == 404, persona
    assert not Basis.objects.filter(case=case).exists()


BASIS = {
    "basis_part_of_ssp": "on",
    "basis_relevant": "on",
    "basis_necessary": "on",
    "basis_purpose": "Politiet i teamet kender familien.",
}


def test_a_case_opened_with_a_section_115_basis_opens_it_to_the_police_in_the_team(
    client: Client, personas: Personas
) -> None:
    concern = _freja_concern()
    vestervang = Body.objects.get(name="SSP-team Vestervang")
    expires_on = timezone.localdate() + timedelta(days=60)

    response = _triage(
        client,
        personas.consultant,
        concern,
        decision="open_case",
        body=vestervang.pk,
        basis_expires_on=expires_on.isoformat(),
        **BASIS,
    )

    assert response.status_code == 302
    case = Case.objects.get(young_person__full_name="Demo-Freja Fantasisen")
    basis = Basis.objects.get(case=case)
    assert (basis.body, basis.ground, basis.origin, basis.purpose, basis.given_by) == (
        vestervang,
        "section_115",
        "case_opened",
        "Politiet i teamet kender familien.",
        personas.consultant,
    )
    assert timezone.localdate(basis.expires_at) == expires_on
    client.force_login(personas.police)
    assert client.get(f"/sager/{case.pk}/").status_code == 200
    client.force_login(personas.police2)  # not in the team
    assert client.get(f"/sager/{case.pk}/").status_code == 404


def test_a_half_confirmed_basis_opens_no_case(client: Client, personas: Personas) -> None:
    concern = _freja_concern()
    vestervang = Body.objects.get(name="SSP-team Vestervang")

    response = _triage(
        client,
        personas.consultant,
        concern,
        decision="open_case",
        body=vestervang.pk,
        **{**BASIS, "basis_necessary": ""},
    )

    assert response.status_code == 422
    assert "Bekræft alle tre betingelser efter §115 for at give adgang." in (
        response.content.decode()
    )
    assert not Case.objects.filter(young_person__full_name="Demo-Freja Fantasisen").exists()
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.NEW


def test_a_concern_routed_with_a_basis_reaches_the_police_in_the_body(
    client: Client, personas: Personas
) -> None:
    concern = _freja_concern()
    group = Body.objects.get(name="Mandagsgruppen (§115)")  # Peter Poulsen and Sara Skov

    response = _triage(
        client, personas.consultant, concern, decision="route", body=group.pk, **BASIS
    )

    assert response.status_code == 302
    basis = Basis.objects.get(concern=concern)
    assert (basis.body, basis.case, basis.origin) == (group, None, "concern_routed")
    client.force_login(personas.police)
    assert client.get(f"/bekymringer/{concern.pk}/").status_code == 200
    services.basis_end(basis=basis, by=personas.consultant, reason="revoked")
    assert client.get(f"/bekymringer/{concern.pk}/").status_code == 404


def test_a_case_cannot_be_opened_for_a_concern_about_a_place(
    client: Client, personas: Personas
) -> None:
    concern = _station_concern()
    cases = Case.objects.count()

    response = _triage(
        client,
        personas.consultant,
        concern,
        decision="open_case",
        body=Body.objects.get(name="Mandagsgruppen (§115)").pk,
    )

    assert response.status_code == 422
    assert (
        "En individorienteret sag handler om én ung: vælg eller opret den unge"
        in response.content.decode()
    )
    assert Case.objects.count() == cases
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.NEW


def test_the_consultant_routes_a_concern_to_the_115_group_whose_members_are_mailed(
    client: Client, personas: Personas, django_capture_on_commit_callbacks
) -> None:
    concern = _station_concern()
    group = Body.objects.get(name="Mandagsgruppen (§115)")
    client.force_login(personas.social)
    assert client.get(f"/bekymringer/{concern.pk}/").status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        response = _triage(client, personas.consultant, concern, decision="route", body=group.pk)

    assert response.status_code == 302
    concern.refresh_from_db()
    assert (concern.status, concern.routed_to) == (ConcernStatus.ROUTED, group)
    # Members: Kirsten Kragh (consultant), Peter Poulsen (the author), Sara Skov.
    assert sorted(to for m in mail.outbox for to in m.to) == [
        personas.consultant.email,
        personas.social.email,
    ]
    assert all("Stationsforpladsen" not in m.body for m in mail.outbox)
    client.force_login(personas.social)
    assert client.get(f"/bekymringer/{concern.pk}/").status_code == 200


def test_a_concern_cannot_be_routed_to_a_body_that_does_not_handle_cases(
    client: Client, personas: Personas
) -> None:
    concern = _station_concern()

    response = _triage(
        client,
        personas.consultant,
        concern,
        decision="route",
        body=Body.objects.get(name="SSP-Forum Glostrup").pk,
    )

    assert response.status_code == 422
    concern.refresh_from_db()
    assert (concern.status, concern.routed_to) == (ConcernStatus.NEW, None)


def test_closing_a_concern_needs_a_reason(client: Client, personas: Personas) -> None:
    concern = _station_concern()

    response = _triage(client, personas.consultant, concern, decision="close", reason="")

    assert response.status_code == 422
    page = response.content.decode()
    assert "data-error-summary" in page
    assert "Udfyld feltet for den valgte beslutning." in page
    concern.refresh_from_db()
    assert (concern.status, concern.closed_reason) == (ConcernStatus.NEW, "")


def test_the_consultant_closes_a_concern_with_a_reason(client: Client, personas: Personas) -> None:
    concern = _station_concern()

    response = _triage(
        client, personas.consultant, concern, decision="close", reason="Håndteres af politiet."
    )

    assert response.status_code == 302
    concern.refresh_from_db()
    assert (concern.status, concern.closed_reason, concern.triaged_by) == (
        ConcernStatus.CLOSED,
        "Håndteres af politiet.",
        personas.consultant,
    )
    assert concern.triaged_at is not None
    assert abs(concern.triaged_at - timezone.now()) < timedelta(minutes=1)


def test_a_concern_is_triaged_only_once(client: Client, personas: Personas) -> None:
    concern = _station_concern()
    _triage(client, personas.consultant, concern, decision="close", reason="Første gang.")

    response = _triage(client, personas.consultant, concern, decision="close", reason="Igen.")

    assert response.status_code == 422
    assert "Bekymringen er allerede visiteret." in response.content.decode()
    concern.refresh_from_db()
    assert concern.closed_reason == "Første gang."


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("leader", 403),  # chair of the pupil's school team: reads it, may not triage
        ("club", 403),  # the author
        ("police", 404),  # member of the school team, not chair or coordinator
        ("social", 404),
        ("admin", 404),  # administrators read no concerns
        ("neighbour", 404),
        ("outsider", 404),
    ],
)
def test_only_the_consultant_may_triage(
    client: Client, personas: Personas, persona: str, expected: int
) -> None:
    concern = _freja_concern()

    response = _triage(client, personas[persona], concern, decision="close", reason="Ikke min.")

    assert response.status_code == expected
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.NEW


def test_the_triage_form_is_shown_to_the_consultant_only(
    client: Client, personas: Personas
) -> None:
    concern = _freja_concern()
    pages = {}
    for persona in ("consultant", "leader", "club"):
        client.force_login(personas[persona])
        response = client.get(f"/bekymringer/{concern.pk}/")
        assert response.status_code == 200
        pages[persona] = response.content.decode()

    assert f'action="/bekymringer/{concern.pk}/visiter/"' in pages["consultant"]
    assert f'action="/bekymringer/{concern.pk}/visiter/"' not in pages["leader"]
    assert f'action="/bekymringer/{concern.pk}/visiter/"' not in pages["club"]
