"""Memberships through the service layer: each body's auth group holds exactly the
active users among its members, whatever is added, changed or removed.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from forum import services
from forum.models import Body, Membership, MembershipRole, Municipality, Person
from ssp.models import Sector
from tests.forum.service_helpers import field_errors, group_users, row_counts
from tests.personas import Personas

pytestmark = pytest.mark.django_db

KREDSRAAD_NAME = "Kredsrådet for Københavns Vestegn"


def _body(name: str) -> Body:
    return Body.objects.get(name=name)


def _person(name: str, code: str = "161") -> Person:
    return Person.objects.get(full_name=name, municipality__code=code)


def test_membership_add_puts_the_members_user_in_the_bodys_group(personas: Personas) -> None:
    body = _body("Aktivitetsgruppen")
    assert group_users(body) == {personas.club.email}

    membership = services.membership_add(
        body=body,
        person=_person("Lars Lund"),
        role=MembershipRole.COORDINATOR,
        by=None,
    )

    saved = Membership.objects.get(pk=membership.pk)
    assert (saved.body, saved.person, saved.role) == (
        body,
        _person("Lars Lund"),
        MembershipRole.COORDINATOR,
    )
    assert group_users(body) == {personas.club.email, personas.leader.email}


def test_membership_add_defaults_to_the_member_role() -> None:
    membership = services.membership_add(
        body=_body("Aktivitetsgruppen"),
        person=_person("Bente Berg"),
        by=None,
    )

    assert Membership.objects.get(pk=membership.pk).role == MembershipRole.MEMBER


def test_membership_add_of_a_person_without_login_leaves_the_group_unchanged(
    personas: Personas,
) -> None:
    body = _body("Aktivitetsgruppen")
    person = _person("Bente Berg")
    assert person.user is None
    memberships_before = Membership.objects.filter(body=body).count()

    services.membership_add(body=body, person=person, by=None)

    assert Membership.objects.filter(body=body).count() == memberships_before + 1
    assert group_users(body) == {personas.club.email}


def test_membership_add_leaves_a_deactivated_user_out_of_the_group(personas: Personas) -> None:
    body = _body("Aktivitetsgruppen")
    personas.leader.is_active = False
    personas.leader.save(update_fields=["is_active"])

    services.membership_add(body=body, person=_person("Lars Lund"), by=None)

    assert Membership.objects.filter(body=body, person=_person("Lars Lund")).exists()
    assert group_users(body) == {personas.club.email}


def test_membership_add_refuses_the_same_person_twice(personas: Personas) -> None:
    body = _body("SSP-team Vestervang")
    group_before = group_users(body)
    before = row_counts()

    with pytest.raises(ValidationError) as excinfo:
        services.membership_add(
            body=body, person=_person("Lars Lund"), role=MembershipRole.GUEST, by=None
        )

    assert field_errors(excinfo, "person") == ["Personen er allerede medlem af organet."]
    assert row_counts() == before
    assert Membership.objects.get(body=body, person=_person("Lars Lund")).role == (
        MembershipRole.CHAIR
    )
    assert group_users(body) == group_before


def test_membership_add_refuses_a_person_of_another_municipality() -> None:
    body = _body("SSP-team Vestervang")
    before = row_counts()

    with pytest.raises(ValidationError) as excinfo:
        services.membership_add(body=body, person=_person("Ole Olsen", "165"), by=None)

    assert field_errors(excinfo, "person") == [
        "Personen hører ikke til organets kommune eller politikreds."
    ]
    assert row_counts() == before


def test_a_kredsraad_takes_members_from_every_municipality_of_its_police_district(
    odense: Municipality,
) -> None:
    kredsraad = _body(KREDSRAAD_NAME)
    outsider = services.person_create(
        municipality=odense, full_name="Otto Odense", sector=Sector.POLICE
    )
    before = row_counts()

    services.membership_add(body=kredsraad, person=_person("Nina Nielsen", "165"), by=None)
    with pytest.raises(ValidationError) as excinfo:
        services.membership_add(body=kredsraad, person=outsider, by=None)

    assert Membership.objects.filter(body=kredsraad, person__full_name="Nina Nielsen").exists()
    assert field_errors(excinfo, "person") == [
        "Personen hører ikke til organets kommune eller politikreds."
    ]
    assert row_counts() == {**before, "Membership": before["Membership"] + 1}


def test_membership_change_role_saves_the_role_and_keeps_the_group() -> None:
    body = _body("SSP-team Vestervang")
    membership = Membership.objects.get(body=body, person=_person("Sara Skov"))
    group_before = group_users(body)

    services.membership_change_role(membership=membership, role=MembershipRole.COORDINATOR, by=None)

    assert Membership.objects.get(pk=membership.pk).role == MembershipRole.COORDINATOR
    assert group_users(body) == group_before


def test_membership_remove_takes_the_user_out_of_that_bodys_group_only(
    personas: Personas,
) -> None:
    vestervang = _body("SSP-team Vestervang")
    nordvang = _body("SSP-team Nordvang")
    assert personas.social.email in group_users(vestervang)
    membership = Membership.objects.get(body=vestervang, person=_person("Sara Skov"))

    services.membership_remove(membership=membership, by=None)

    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert personas.social.email not in group_users(vestervang)
    assert personas.leader.email in group_users(vestervang)
    assert personas.social.email in group_users(nordvang), "another body's group was touched"


def test_membership_remove_of_a_person_without_login_leaves_the_group_unchanged() -> None:
    body = _body("SSP-team Vestervang")
    membership = Membership.objects.get(body=body, person=_person("Gitte Gram"))
    group_before = group_users(body)

    services.membership_remove(membership=membership, by=None)

    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert group_users(body) == group_before


def test_a_user_seated_twice_stays_in_the_group_until_their_last_membership_goes(
    personas: Personas,
) -> None:
    # Peter Poulsen is in the directory of both Glostrup and Albertslund, and a Kredsråd
    # takes members from both, so one login can hold two seats in it.
    kredsraad = _body(KREDSRAAD_NAME)
    in_glostrup = services.membership_add(
        body=kredsraad, person=_person("Peter Poulsen", "161"), by=None
    )
    in_albertslund = services.membership_add(
        body=kredsraad, person=_person("Peter Poulsen", "165"), by=None
    )
    assert personas.police.email in group_users(kredsraad)

    services.membership_remove(membership=in_glostrup, by=None)
    assert personas.police.email in group_users(kredsraad)

    services.membership_remove(membership=in_albertslund, by=None)
    assert personas.police.email not in group_users(kredsraad)


def test_person_delete_takes_their_user_out_of_every_bodys_group(personas: Personas) -> None:
    # The police officer: no action on a case names him (they would keep him in the
    # directory, PROTECT), and he sits in five bodies.
    person = _person("Peter Poulsen")
    bodies = list(Body.objects.filter(memberships__person=person))
    assert len(bodies) == 5
    for body in bodies:
        assert personas.police.email in group_users(body)

    services.person_delete(person=person)

    assert not Person.objects.filter(pk=person.pk).exists()
    for body in bodies:
        assert personas.police.email not in group_users(body), f"still in {body}'s group"
