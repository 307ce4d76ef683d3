"""Bodies that span municipalities beyond the Kredsråd: a police district's network group,
owned by one municipality and open to the staff of the others it names.

- Staff of every municipality it spans see it (its page, their organisation tree); staff of a
  municipality it does not span get 404.
- Only the administrators of its own municipality keep it (edit, members): an administrator
  of a spanned municipality alone gets 403.
- People of the spanned municipalities may sit in it; nobody from elsewhere.
- Only a type that spans municipalities may, only within the police district, and a
  municipality is not dropped while its people still sit in the body.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from forum import permissions, selectors, services
from forum.bodytypes import body_type_ensure
from forum.models import Body, BodyKind, BodyType, Membership, Municipality, Person
from forum.presets import DEFAULT_TYPES
from ssp.models import Sector, User
from tests.forum.service_helpers import field_errors
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def _m(code: str) -> Municipality:
    return Municipality.objects.get(code=code)


@pytest.fixture
def network() -> Body:
    """Glostrup's network group of the police district, spanning Albertslund."""
    glostrup = _m("161")
    body_type = body_type_ensure(municipality=glostrup, spec=DEFAULT_TYPES[BodyKind.NETWORK])
    return services.body_create(
        body_type=body_type,
        name="Netværket på Vestegnen",
        member_municipalities=[_m("165")],
    )


@pytest.fixture
def albertslund_admin() -> User:
    user = User.objects.create_user(
        "admin.albertslund@test.ssp", password="x", full_name="Alma Albertslund"
    )
    services.affiliation_set(user=user, municipality=_m("165"), is_administrator=True, by=None)
    return user


def test_staff_of_a_spanned_municipality_see_the_body(network: Body, personas: Personas) -> None:
    neighbour = personas.neighbour  # Albertslund only

    assert permissions.body_for_user_or_404(neighbour, network.pk) == network
    assert network in selectors.bodies_of_municipality(_m("165"))
    assert network in [node.body for node in selectors.body_tree(_m("165"))]


def test_staff_of_a_municipality_it_does_not_span_get_404(
    network: Body, brondby: Municipality, client: Client
) -> None:
    user = User.objects.create_user("brondby@test.ssp", password="x", full_name="Bo Brøndby")
    services.affiliation_set(user=user, municipality=brondby, by=None)
    client.force_login(user)

    response = client.get(f"/organisation/organ/{network.pk}/")

    assert response.status_code == 404, "a body that does not span Brøndby leaked to its staff"
    assert network not in selectors.bodies_of_municipality(brondby)
    assert not permissions.bodies_visible_to(user).filter(pk=network.pk).exists()


def test_only_the_owning_municipalitys_administrators_keep_it(
    network: Body, personas: Personas, albertslund_admin: User, client: Client
) -> None:
    assert permissions.can_administer_body(personas.admin, network)
    assert not permissions.can_administer_body(albertslund_admin, network)
    client.force_login(albertslund_admin)

    seen = client.get(f"/organisation/organ/{network.pk}/")
    edit = client.get(f"/organisation/organ/{network.pk}/rediger/")

    assert seen.status_code == 200
    assert edit.status_code == 403


def test_people_of_a_spanned_municipality_may_sit_in_it(network: Body) -> None:
    ole = Person.objects.get(full_name="Ole Olsen", municipality__code="165")

    membership = services.membership_add(body=network, person=ole, by=None)

    assert membership.body == network


def test_people_of_a_municipality_it_does_not_span_may_not(
    network: Body, brondby: Municipality
) -> None:
    stranger = services.person_create(
        municipality=brondby, full_name="Berit Brøndby", sector=Sector.SCHOOL
    )

    with pytest.raises(ValidationError) as excinfo:
        services.membership_add(body=network, person=stranger, by=None)

    assert field_errors(excinfo, "person") == [
        "Personen hører ikke til organets kommune eller politikreds."
    ]
    assert not Membership.objects.filter(body=network, person=stranger).exists()


def test_the_add_form_offers_people_of_every_spanned_municipality(
    network: Body, personas: Personas
) -> None:
    from forum.forms import MembershipAddForm

    offered = MembershipAddForm(body=network, by=personas.admin).fields["person"].queryset

    assert offered.filter(municipality__code="165").exists()
    assert offered.filter(municipality__code="161").exists()


def test_a_type_that_does_not_span_cannot_span() -> None:
    forum = Body.objects.get(name="SSP-Forum Glostrup")
    before = Body.objects.count()

    with pytest.raises(ValidationError) as excinfo:
        services.body_create(
            kind=BodyKind.WORKING_GROUP,
            municipality=_m("161"),
            name="Fælles arbejdsgruppe",
            parent=forum,
            member_municipalities=[_m("165")],
        )

    assert field_errors(excinfo, "member_municipalities") == [
        "Organer af denne type går ikke på tværs af kommuner."
    ]
    assert Body.objects.count() == before


def test_a_body_spans_only_municipalities_of_its_police_district(
    network: Body, odense: Municipality
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.body_update(body=network, member_municipalities=[_m("165"), odense])

    assert field_errors(excinfo, "member_municipalities") == [
        "Et organ kan kun gå på tværs af kommuner i samme politikreds."
    ]
    assert list(network.member_municipalities.all()) == [_m("165")]


def test_a_municipality_whose_people_sit_in_it_is_not_dropped(network: Body) -> None:
    ole = Person.objects.get(full_name="Ole Olsen", municipality__code="165")
    services.membership_add(body=network, person=ole, by=None)

    with pytest.raises(ValidationError) as excinfo:
        services.body_update(body=network, member_municipalities=[])

    assert field_errors(excinfo, "member_municipalities") == [
        "Organet har medlemmer fra en kommune, der ikke længere er med. Fjern dem først."
    ]
    assert list(network.member_municipalities.all()) == [_m("165")]


def test_a_type_with_bodies_across_municipalities_keeps_spanning(network: Body) -> None:
    from forum.bodytypes import body_type_update

    with pytest.raises(ValidationError) as excinfo:
        body_type_update(body_type=network.body_type, spans_municipalities=False)

    assert field_errors(excinfo, "spans_municipalities") == [
        "Organer af typen går allerede på tværs af kommuner."
    ]
    assert BodyType.objects.get(pk=network.body_type_id).spans_municipalities


def test_the_body_form_spans_through_the_edit_page(network: Body, admin_client: Client) -> None:
    response = admin_client.post(
        f"/organisation/organ/{network.pk}/rediger/",
        {"body_type": network.body_type_id, "name": network.name, "member_municipalities": []},
    )

    assert response.status_code == 302
    assert not network.member_municipalities.exists()
    page = admin_client.get(f"/organisation/organ/{network.pk}/").content.decode()
    assert "Også for kommunerne" not in page
