"""Administrators administer, never read: nobody gives themselves a role that reads cases,
through the services or the organisation pages. (Django admin: test_admin_self_grant.py.)

Before this rule, the demo administrator opened a case by adding their own person to its
ad-hoc group, and every case of a school team by adding themselves to the team.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from cases.models import Case
from cases.permissions import can_see_triage_queue, cases_visible_to
from forum import services
from forum.models import Affiliation, Body, BodyKind, Membership, MembershipRole, Person
from tests.forum.case_access import assert_reads_no_case
from tests.forum.page_helpers import assert_refused, form_values, page_text
from tests.forum.service_helpers import field_errors
from tests.personas import Personas

pytestmark = pytest.mark.django_db

SELF_SEAT = (
    "Du kan ikke give dig selv en plads i {body}: organets medlemmer læser sager om børn og "
    "unge. Bed en anden administrator om at tilføje dig."
)


def _body(name: str) -> Body:
    return Body.objects.get(name=name)


def _adhoc_group() -> Body:
    """The demo's one ad-hoc group: Amalie's case, with the consultant, police and social."""
    return Body.objects.get(kind=BodyKind.AD_HOC)


def _own_person(personas: Personas) -> Person:
    """The administrator's own entry in Glostrup's directory (Anne Andersen)."""
    return Person.objects.get(user=personas.admin, municipality__code="161")


@pytest.mark.parametrize(
    "body_name", ["SSP-team Vestervang", "Mandagsgruppen (§115)", "ad-hoc group"]
)
def test_the_service_refuses_an_administrator_a_seat_in_a_body_that_reads_cases(
    personas: Personas, body_name: str
) -> None:
    body = _adhoc_group() if body_name == "ad-hoc group" else _body(body_name)
    memberships = Membership.objects.count()

    with pytest.raises(ValidationError) as excinfo:
        services.membership_add(body=body, person=_own_person(personas), by=personas.admin)

    assert field_errors(excinfo, "person") == [SELF_SEAT.format(body=body.name)]
    assert Membership.objects.count() == memberships
    assert_reads_no_case(personas.admin)


def test_another_administrator_may_give_the_seat(personas: Personas) -> None:
    body = _body("SSP-team Vestervang")

    services.membership_add(body=body, person=_own_person(personas), by=personas.consultant)

    assert Membership.objects.filter(body=body, person__user=personas.admin).exists()
    assert cases_visible_to(personas.admin).filter(responsible_body=body).exists()


def test_an_administrator_may_seat_themselves_where_no_case_is_read(personas: Personas) -> None:
    body = _body("Aktivitetsgruppen")

    services.membership_add(body=body, person=_own_person(personas), by=personas.admin)

    assert Membership.objects.filter(body=body, person__user=personas.admin).exists()
    assert_reads_no_case(personas.admin)


def test_a_consultant_may_seat_themselves_where_they_read_every_case_already(
    personas: Personas,
) -> None:
    body = _body("SSP-team Nordvang")
    kirsten = Person.objects.get(user=personas.consultant)
    before = set(cases_visible_to(personas.consultant).values_list("pk", flat=True))

    services.membership_add(body=body, person=kirsten, by=personas.consultant)

    assert Membership.objects.filter(body=body, person=kirsten).exists()
    assert set(cases_visible_to(personas.consultant).values_list("pk", flat=True)) == before


def test_nobody_changes_their_own_role_in_a_body_that_reads_cases(personas: Personas) -> None:
    lars = Membership.objects.get(body__name="SSP-team Vestervang", person__user=personas.leader)

    with pytest.raises(ValidationError) as excinfo:
        services.membership_change_role(
            membership=lars, role=MembershipRole.MEMBER, by=personas.leader
        )

    assert field_errors(excinfo, "role") == [
        "Du kan ikke ændre din egen rolle i SSP-team Vestervang: organets medlemmer læser sager "
        "om børn og unge. Bed en anden administrator om det."
    ]
    assert Membership.objects.get(pk=lars.pk).role == MembershipRole.CHAIR
    services.membership_change_role(membership=lars, role=MembershipRole.MEMBER, by=personas.admin)
    assert Membership.objects.get(pk=lars.pk).role == MembershipRole.MEMBER


def test_nobody_makes_themselves_ssp_consultant(personas: Personas) -> None:
    glostrup = Affiliation.objects.get(user=personas.leader, municipality__code="161")

    with pytest.raises(ValidationError) as excinfo:
        services.affiliation_set(
            user=personas.leader,
            municipality=glostrup.municipality,
            is_ssp_consultant=True,
            by=personas.leader,
        )

    assert field_errors(excinfo, "is_ssp_consultant") == [
        "Du kan ikke gøre dig selv til SSP-konsulent: rollen giver adgang til alle kommunens "
        "bekymringer og sager. Bed en anden administrator om det."
    ]
    assert not Affiliation.objects.get(pk=glostrup.pk).is_ssp_consultant
    assert not can_see_triage_queue(personas.leader)


# --- The organisation pages -------------------------------------------------------------------


@pytest.mark.parametrize("body_name", ["SSP-team Vestervang", "Mandagsgruppen (§115)"])
def test_the_organisation_page_refuses_an_administrator_adding_themselves(
    admin_client: Client, personas: Personas, body_name: str
) -> None:
    body = _body(body_name)
    memberships = Membership.objects.count()

    response = admin_client.post(
        reverse("forum:membership_add", args=[body.pk]),
        {"person": _own_person(personas).pk, "role": "chair"},
    )

    assert_refused(response, "id_person", "Person", SELF_SEAT.format(body=body.name))
    assert form_values(response)["id_role"] == "chair"
    assert Membership.objects.count() == memberships
    assert_reads_no_case(personas.admin)


def test_the_organisation_page_does_not_offer_the_administrator_themselves_where_cases_are_read(
    admin_client: Client, personas: Personas
) -> None:
    own = f'<option value="{_own_person(personas).pk}">'

    team = page_text(admin_client.get(_body("SSP-team Vestervang").get_absolute_url()))
    group = page_text(admin_client.get(_body("Aktivitetsgruppen").get_absolute_url()))

    assert "Tilføj medlem" in team
    assert own not in team, "the add form offers the administrator a seat in a school team"
    assert own in group, "a working group reads no case: the administrator may join it"


def test_the_ad_hoc_groups_member_form_answers_404_to_the_administrator(
    admin_client: Client, personas: Personas
) -> None:
    group = _adhoc_group()
    memberships = Membership.objects.count()

    response = admin_client.post(
        reverse("forum:membership_add", args=[group.pk]),
        {"person": _own_person(personas).pk, "role": "member"},
    )

    assert response.status_code == 404
    assert Membership.objects.count() == memberships
    assert_reads_no_case(personas.admin)


def test_an_administrator_who_reads_the_case_manages_its_group_on_the_case_only(
    client: Client, personas: Personas
) -> None:
    group = _adhoc_group()
    # The consultant reads Amalie's case; made administrator too, by another administrator.
    services.affiliation_set(
        user=personas.consultant,
        municipality=group.municipality,
        is_ssp_consultant=True,
        is_administrator=True,
        by=personas.admin,
    )
    client.force_login(personas.consultant)

    page = page_text(client.get(group.get_absolute_url()))
    refused = client.post(
        reverse("forum:membership_add", args=[group.pk]),
        {"person": Person.objects.get(full_name="Gitte Gram").pk, "role": "member"},
    )

    assert "Peter Poulsen" in page, "the consultant reads the case: they see its group"
    assert "Tilføj medlem" not in page
    assert "Dens medlemmer vælges på sagen" in page
    assert "/fjern/" not in page
    assert refused.status_code == 403
    assert not Membership.objects.filter(body=group, person__full_name="Gitte Gram").exists()
    assert Case.objects.get(adhoc_group=group).young_person.full_name == "Demo-Amalie Tænktsen"
