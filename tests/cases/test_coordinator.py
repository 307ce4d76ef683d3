"""One coordinator for the case and its ad-hoc group: chosen when the group is formed,
changeable later from either side, always the same person, on the timeline and in the access
log; and, as rule R3 requires, only a handling-sector user of the municipality."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from cases import services
from cases.models import Case, CaseEvent, CaseEventKind
from forum.models import Membership, MembershipRole, Person
from ssp.models import AuditAction, AuditEvent, User
from tests.personas import Personas

pytestmark = pytest.mark.django_db

AMALIE = "Demo-Amalie Tænktsen"  # ad-hoc group formed by the consultant, who coordinates it
MIKKEL = "Demo-Mikkel Eksempelsen"  # SSP-team Vestervang, no ad-hoc group, no coordinator


def _case(name: str) -> Case:
    return Case.objects.get(young_person__full_name=name)


def _person(user: User) -> Person:
    return Person.objects.get(municipality__code="161", user=user)


def _group_coordinators(case: Case) -> list[User]:
    return [
        m.person.user
        for m in Membership.objects.filter(
            body_id=case.adhoc_group_id, role=MembershipRole.COORDINATOR
        ).select_related("person__user")
    ]


def _in_step(case: Case) -> None:
    case.refresh_from_db()
    assert _group_coordinators(case) == [case.coordinator], (
        f"the group is coordinated by {_group_coordinators(case)}, the case by {case.coordinator}"
    )


def test_the_group_is_formed_with_the_coordinator_chosen_who_then_coordinates_the_case(
    client: Client, personas: Personas
) -> None:
    case = _case(MIKKEL)
    assert case.coordinator is None
    client.force_login(personas.consultant)
    form = client.get(f"/sager/{case.pk}/gruppe/").content.decode()
    assert "Tovholder for gruppen og sagen" in form

    response = client.post(
        f"/sager/{case.pk}/gruppe/", {"coordinator": _person(personas.leader).pk}
    )

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.coordinator == personas.leader
    _in_step(case)
    event = CaseEvent.objects.filter(case=case, kind=CaseEventKind.GROUP).latest("at")
    assert event.text == (
        "Ad hoc-gruppe oprettet med Lars Lund som tovholder. Tovholder: – → Lars Lund"
    )


def test_the_group_form_proposes_the_cases_coordinator(client: Client, personas: Personas) -> None:
    case = _case(MIKKEL)
    services.case_coordinator_change(case=case, by=personas.consultant, coordinator=personas.social)
    client.force_login(personas.consultant)

    form = client.get(f"/sager/{case.pk}/gruppe/").content.decode()

    assert f'<option value="{_person(personas.social).pk}" selected>' in form


def test_changing_the_coordinator_moves_the_groups_seat_and_keeps_the_old_one_as_member(
    client: Client, personas: Personas
) -> None:
    case = _case(AMALIE)
    _in_step(case)
    before = AuditEvent.objects.filter(
        object_type="cases.case", object_id=str(case.pk), action=AuditAction.UPDATE
    ).count()
    client.force_login(personas.consultant)

    response = client.post(f"/sager/{case.pk}/tovholder/", {"coordinator": personas.social.pk})

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.coordinator == personas.social
    _in_step(case)
    kirsten = Membership.objects.get(body_id=case.adhoc_group_id, person__user=personas.consultant)
    assert kirsten.role == MembershipRole.MEMBER
    assert CaseEvent.objects.filter(
        case=case, kind=CaseEventKind.DETAILS, text="Tovholder: Kirsten Kragh → Sara Skov"
    ).exists()
    after = AuditEvent.objects.filter(
        object_type="cases.case", object_id=str(case.pk), action=AuditAction.UPDATE
    ).count()
    assert after == before + 1


def test_a_new_coordinator_outside_the_group_gets_the_coordinators_seat(
    personas: Personas,
) -> None:
    case = _case(AMALIE)  # Lars Lund is not in the group

    services.case_update_details(
        case=case,
        by=personas.consultant,
        level=case.level,
        prevention_kind=case.prevention_kind,
        responsible_body=case.responsible_body,
        coordinator=personas.leader,
        follow_up_on=None,
    )

    _in_step(case)
    assert case.coordinator == personas.leader


def test_a_police_officer_cannot_coordinate_the_group_or_the_case(
    client: Client, personas: Personas
) -> None:
    case = _case(AMALIE)
    client.force_login(personas.consultant)

    response = client.post(f"/sager/{case.pk}/tovholder/", {"coordinator": personas.police.pk})

    assert response.status_code == 422
    assert "Marker en gyldig valgmulighed." in response.content.decode()
    with pytest.raises(ValidationError, match="Tovholderen skal arbejde i kommunen"):
        services.case_coordinator_change(
            case=case, by=personas.consultant, coordinator=personas.police
        )
    fresh = Case.objects.get(young_person__full_name=MIKKEL)
    with pytest.raises(ValidationError, match="Tovholderen skal arbejde i kommunen"):
        services.adhoc_group_form(
            case=fresh, by=personas.consultant, coordinator=_person(personas.police)
        )
    fresh.refresh_from_db()
    assert fresh.adhoc_group is None, "the group was formed half-way"
    _in_step(case)
    assert case.coordinator == personas.consultant


def test_the_coordinator_cannot_be_removed_from_the_group_or_cleared_while_it_exists(
    personas: Personas,
) -> None:
    case = _case(AMALIE)
    seat = Membership.objects.get(body_id=case.adhoc_group_id, person__user=personas.consultant)

    with pytest.raises(ValidationError, match="er tovholder for sagen og gruppen"):
        services.adhoc_member_remove(case=case, by=personas.consultant, membership=seat)
    with pytest.raises(ValidationError, match="gruppen skal have en tovholder"):
        services.case_update_details(
            case=case,
            by=personas.consultant,
            level=case.level,
            prevention_kind=case.prevention_kind,
            responsible_body=case.responsible_body,
            coordinator=None,
            follow_up_on=None,
        )

    _in_step(case)
    assert case.coordinator == personas.consultant


def test_closing_the_group_keeps_the_cases_coordinator(personas: Personas) -> None:
    case = _case(AMALIE)

    services.adhoc_group_close(case=case, by=personas.consultant)

    case.refresh_from_db()
    assert (case.adhoc_group, case.coordinator) == (None, personas.consultant)
