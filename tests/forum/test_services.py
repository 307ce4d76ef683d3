"""The service layer of the organisation: every write and the rules that span rows.

Bodies form a tree whose shape `ALLOWED_PARENT_KINDS` and `SINGLETON_KINDS` fix; each body's
auth group holds exactly the active users among its members; municipal roles become guardian
permissions and Django admin access. A refused write raises `ValidationError` with a Danish
message and leaves the database as it was.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from forum import services
from forum.models import (
    ALLOWED_PARENT_KINDS,
    SINGLETON_KINDS,
    Affiliation,
    Body,
    BodyKind,
    Membership,
    MembershipRole,
    Municipality,
    Person,
    PoliceDistrict,
    Unit,
)
from forum.permissions import MUNICIPALITY_ROLE_PERMISSIONS
from ssp.models import Sector, User
from tests.personas import Personas

pytestmark = pytest.mark.django_db

K = BodyKind
KREDSRAAD_NAME = "Kredsrådet for Københavns Vestegn"
NEW_PASSWORD = "Kaffekande-Regnbue-47"
INVITATION_LINK = re.compile(r"https?://\S+/ny-adgangskode/[^\s/]+/[^\s/]+/")
ALL_MUNICIPAL_PERMS = tuple(p for perms in MUNICIPALITY_ROLE_PERMISSIONS.values() for p in perms)


def _build_under(kind: str) -> str | None:
    """The parent kind a body of this kind is built under when a test needs one with a valid
    ancestry: the top of the tree if allowed, else the first allowed kind."""
    allowed = ALLOWED_PARENT_KINDS[K(kind)]
    return None if None in allowed else sorted(str(k) for k in allowed)[0]


ALLOWED_PAIRS = sorted(
    ((str(kind), parent) for kind, parents in ALLOWED_PARENT_KINDS.items() for parent in parents),
    key=str,
)
FORBIDDEN_PAIRS = sorted(
    (
        (str(kind), parent)
        for kind in K
        for parent in (None, *(str(k) for k in K))
        if parent not in ALLOWED_PARENT_KINDS[kind]
    ),
    key=str,
)


def _pair_id(pair: tuple[str, str | None]) -> str:
    kind, parent = pair
    return f"{kind}-under-{parent or 'nothing'}"


# --- helpers -----------------------------------------------------------------------------


def _municipality(code: str) -> Municipality:
    return Municipality.objects.get(code=code)


def _body(name: str) -> Body:
    return Body.objects.get(name=name)


def _person(name: str, code: str = "161") -> Person:
    return Person.objects.get(full_name=name, municipality__code=code)


def _unit(name: str) -> Unit:
    return Unit.objects.get(name=name)


def _group_users(body: Body) -> set[str]:
    """The emails of the users in the body's auth group, read afresh from the database."""
    return set(Group.objects.get(pk=body.group_id).user_set.values_list("email", flat=True))


def _row_counts() -> dict[str, int]:
    models = (Body, Group, Membership, Person, Unit, User, Affiliation)
    return {model.__name__: model.objects.count() for model in models}


def _errors(excinfo: pytest.ExceptionInfo[ValidationError], field: str) -> list[str]:
    return [str(message) for message in excinfo.value.message_dict[field]]


def _municipal_perms(user: User, municipality: Municipality) -> set[str]:
    """The municipal role permissions the user holds on the municipality, with no cache."""
    fresh = User.objects.get(pk=user.pk)
    return {perm for perm in ALL_MUNICIPAL_PERMS if fresh.has_perm(perm, municipality)}


def _school(municipality: Municipality) -> Unit:
    unit = Unit.objects.filter(municipality=municipality, sector=Sector.SCHOOL).first()
    return unit or services.unit_create(
        municipality=municipality, name=f"{municipality.name} Skole", sector=Sector.SCHOOL
    )


def _build(kind: str | None, municipality: Municipality, built: dict[str, Body]) -> Body | None:
    """A body of the given kind in the municipality, with a valid chain of bodies above it."""
    if kind is None:
        return None
    if kind not in built:
        if kind == K.KREDSRAAD:
            built[kind] = Body.objects.get(
                kind=K.KREDSRAAD, police_district=municipality.police_district
            )
        else:
            built[kind] = services.body_create(
                kind=kind,
                name=f"{K(kind).label} i {municipality.name}",
                municipality=municipality,
                parent=_build(_build_under(kind), municipality, built),
                unit=_school(municipality) if kind == K.SCHOOL_TEAM else None,
            )
    return built[kind]


@pytest.fixture
def brondby() -> Municipality:
    """A municipality in the demo police district with no bodies yet."""
    return Municipality.objects.create(
        name="Brøndby", code="153", police_district=_municipality("161").police_district
    )


@pytest.fixture
def odense() -> Municipality:
    """A municipality in another police district."""
    fyn = PoliceDistrict.objects.create(name="Fyns Politi")
    return Municipality.objects.create(name="Odense", code="461", police_district=fyn)


# --- the body hierarchy ------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "parent_kind"), ALLOWED_PAIRS, ids=map(_pair_id, ALLOWED_PAIRS))
def test_body_create_accepts_every_allowed_parent_kind(
    kind: str, parent_kind: str | None, brondby: Municipality, odense: Municipality
) -> None:
    parent = _build(parent_kind, brondby, {})
    if kind == K.KREDSRAAD:
        place = {"police_district": odense.police_district}
    else:
        place = {"municipality": brondby}
    before = Body.objects.count()

    body = services.body_create(
        kind=kind,
        name="Det nye organ",
        parent=parent,
        unit=_school(brondby) if kind == K.SCHOOL_TEAM else None,
        **place,
    )

    assert Body.objects.count() == before + 1
    saved = Body.objects.get(pk=body.pk)
    assert saved.kind == kind
    assert saved.parent == parent


@pytest.mark.parametrize(
    ("kind", "parent_kind"), FORBIDDEN_PAIRS, ids=map(_pair_id, FORBIDDEN_PAIRS)
)
def test_body_create_refuses_every_parent_kind_not_allowed_and_saves_nothing(
    kind: str, parent_kind: str | None, brondby: Municipality
) -> None:
    parent = _build(parent_kind, brondby, {})
    if kind == K.KREDSRAAD:
        place = {"police_district": brondby.police_district}
    else:
        place = {"municipality": brondby}
    unit = _school(brondby) if kind == K.SCHOOL_TEAM else None
    before = _row_counts()

    with pytest.raises(ValidationError) as excinfo:
        services.body_create(
            kind=kind,
            name="Det forkerte organ",
            parent=parent,
            unit=unit,
            **place,
        )

    messages = _errors(excinfo, "parent")
    label = K(kind).label
    if parent_kind is None:
        expected = [m for m in messages if m.startswith(f"{label} skal høre under: ")]
        assert expected, f"no Danish 'skal høre under' message in {messages}"
        for allowed in ALLOWED_PARENT_KINDS[kind]:
            assert str(K(allowed).label) in expected[0]
    else:
        assert f"{label} kan ikke høre under {K(parent_kind).label}." in messages
    assert _row_counts() == before


@pytest.mark.parametrize(
    ("kind", "parent_name"),
    [
        (K.LOKALRAAD, KREDSRAAD_NAME),
        (K.FOELGEGRUPPE, "Lokalrådet i Glostrup"),
        (K.SSP_FORUM, "SSP-Følgen"),
    ],
)
def test_a_municipality_gets_at_most_one_body_of_each_singleton_kind(
    kind: str, parent_name: str
) -> None:
    assert kind in SINGLETON_KINDS
    before = _row_counts()

    with pytest.raises(ValidationError) as excinfo:
        services.body_create(
            kind=kind,
            name="Endnu et organ",
            municipality=_municipality("161"),
            parent=_body(parent_name),
        )

    assert _errors(excinfo, "kind") == [f"Kommunen har allerede et organ af typen {K(kind).label}."]
    assert _row_counts() == before


def test_singleton_kinds_are_one_per_municipality_not_one_in_all(brondby: Municipality) -> None:
    before = Body.objects.filter(kind=K.LOKALRAAD).count()
    assert before >= 2

    lokalraad = services.body_create(
        kind=K.LOKALRAAD, name="Lokalrådet i Brøndby", municipality=brondby
    )

    assert Body.objects.filter(kind=K.LOKALRAAD).count() == before + 1
    assert Body.objects.get(pk=lokalraad.pk).municipality == brondby


def test_kinds_that_are_not_singletons_may_repeat_in_a_municipality() -> None:
    assert K.WORKING_GROUP not in SINGLETON_KINDS
    forum = _body("SSP-Forum Glostrup")
    before = Body.objects.filter(kind=K.WORKING_GROUP, municipality=forum.municipality).count()

    services.body_create(
        kind=K.WORKING_GROUP, name="Festgruppen", municipality=forum.municipality, parent=forum
    )

    assert (
        Body.objects.filter(kind=K.WORKING_GROUP, municipality=forum.municipality).count()
        == before + 1
    )


def test_body_update_refuses_a_singleton_kind_the_municipality_already_has() -> None:
    udvalg = _body("SSP-Udvalget i Glostrup")

    with pytest.raises(ValidationError) as excinfo:
        services.body_update(body=udvalg, kind=K.FOELGEGRUPPE)

    assert _errors(excinfo, "kind") == ["Kommunen har allerede et organ af typen SSP-Følgegruppe."]
    assert Body.objects.get(pk=udvalg.pk).kind == K.SSP_UDVALG


def test_renaming_a_singleton_body_does_not_clash_with_itself() -> None:
    forum = _body("SSP-Forum Glostrup")

    services.body_update(body=forum, name="  SSP-Forum i Glostrup  ", purpose="Årsmødet.")

    saved = Body.objects.get(pk=forum.pk)
    assert saved.name == "SSP-Forum i Glostrup"
    assert saved.purpose == "Årsmødet."
    assert saved.kind == K.SSP_FORUM


def test_body_create_refuses_a_parent_in_another_municipality() -> None:
    before = _row_counts()

    with pytest.raises(ValidationError) as excinfo:
        services.body_create(
            kind=K.SSP_UDVALG,
            name="SSP-Udvalget i Albertslund",
            municipality=_municipality("165"),
            parent=_body("Lokalrådet i Glostrup"),
        )

    assert _errors(excinfo, "parent") == [
        "Det overordnede organ skal høre til samme kommune eller politikreds."
    ]
    assert _row_counts() == before


def test_a_lokalraad_may_not_sit_under_the_kredsraad_of_another_police_district(
    odense: Municipality,
) -> None:
    before = _row_counts()

    with pytest.raises(ValidationError) as excinfo:
        services.body_create(
            kind=K.LOKALRAAD,
            name="Lokalrådet i Odense",
            municipality=odense,
            parent=_body(KREDSRAAD_NAME),
        )

    assert _errors(excinfo, "parent") == [
        "Det overordnede organ skal høre til samme kommune eller politikreds."
    ]
    assert _row_counts() == before


def test_a_lokalraad_may_sit_under_the_kredsraad_of_its_own_police_district(
    brondby: Municipality,
) -> None:
    lokalraad = services.body_create(
        kind=K.LOKALRAAD,
        name="Lokalrådet i Brøndby",
        municipality=brondby,
        parent=_body(KREDSRAAD_NAME),
    )

    assert Body.objects.get(pk=lokalraad.pk).parent == _body(KREDSRAAD_NAME)


def test_body_update_refuses_moving_a_body_under_another_municipalitys_body() -> None:
    group = _body("Mandagsgruppen (§115)")
    old_parent = group.parent_id

    with pytest.raises(ValidationError) as excinfo:
        services.body_update(body=group, parent=_body("Lokalrådet i Albertslund"))

    assert _errors(excinfo, "parent") == [
        "Det overordnede organ skal høre til samme kommune eller politikreds."
    ]
    assert Body.objects.get(pk=group.pk).parent_id == old_parent


def test_body_update_refuses_making_a_body_its_own_parent() -> None:
    group = _body("Mandagsgruppen (§115)")
    old_parent = group.parent_id

    with pytest.raises(ValidationError) as excinfo:
        services.body_update(body=group, parent=group)

    assert "Et organ kan ikke høre under sig selv." in _errors(excinfo, "parent")
    assert Body.objects.get(pk=group.pk).parent_id == old_parent


def test_body_update_refuses_a_cycle_through_a_body_below_it(brondby: Municipality) -> None:
    lokalraad = services.body_create(
        kind=K.LOKALRAAD, name="Lokalrådet i Brøndby", municipality=brondby
    )
    foelgegruppe = services.body_create(
        kind=K.FOELGEGRUPPE, name="SSP-Følgen i Brøndby", municipality=brondby, parent=lokalraad
    )

    # As an SSP-Forum it may sit under a Følgegruppe, but this one sits under it already.
    with pytest.raises(ValidationError) as excinfo:
        services.body_update(body=lokalraad, kind=K.SSP_FORUM, parent=foelgegruppe)

    assert "Et organ kan ikke høre under sig selv." in _errors(excinfo, "parent")
    saved = Body.objects.get(pk=lokalraad.pk)
    assert saved.kind == K.LOKALRAAD
    assert saved.parent is None


def test_body_update_refuses_a_kind_the_bodies_below_it_may_not_sit_under() -> None:
    foelgen = _body("SSP-Følgen")
    assert _body("SSP-Forum Glostrup").parent == foelgen

    with pytest.raises(ValidationError) as excinfo:
        services.body_update(body=foelgen, kind=K.SSP_UDVALG)

    assert "SSP-Forum kan ikke høre under SSP-Udvalg." in _errors(excinfo, "kind")
    assert Body.objects.get(pk=foelgen.pk).kind == K.FOELGEGRUPPE


def test_a_refused_kind_change_names_each_kind_below_once() -> None:
    forum = _body("SSP-Forum Glostrup")
    kinds_below = set(forum.children.values_list("kind", flat=True))
    assert kinds_below == {K.WORKING_GROUP, K.SCHOOL_TEAM}

    with pytest.raises(ValidationError) as excinfo:
        services.body_update(body=forum, kind=K.GROUP_115, parent=_body("Lokalrådet i Glostrup"))

    assert sorted(_errors(excinfo, "kind")) == [
        "Arbejdsgruppe kan ikke høre under §115-gruppe.",
        "Skolens SSP-team kan ikke høre under §115-gruppe.",
    ]
    saved = Body.objects.get(pk=forum.pk)
    assert (saved.kind, saved.parent) == (K.SSP_FORUM, _body("SSP-Følgen"))


def test_body_update_may_change_the_kind_of_a_body_with_nothing_below_it() -> None:
    udvalg = _body("SSP-Udvalget i Glostrup")

    services.body_update(body=udvalg, kind=K.GROUP_115)

    assert Body.objects.get(pk=udvalg.pk).kind == K.GROUP_115


def test_a_kredsraad_cannot_change_kind() -> None:
    kredsraad = _body(KREDSRAAD_NAME)

    with pytest.raises(ValidationError) as excinfo:
        services.body_update(body=kredsraad, kind=K.LOKALRAAD)

    assert _errors(excinfo, "kind") == ["Et kredsråd kan ikke skifte type."]
    assert Body.objects.get(pk=kredsraad.pk).kind == K.KREDSRAAD


def test_no_body_can_become_a_kredsraad() -> None:
    lokalraad = _body("Lokalrådet i Glostrup")

    with pytest.raises(ValidationError) as excinfo:
        services.body_update(body=lokalraad, kind=K.KREDSRAAD, parent=None)

    assert _errors(excinfo, "kind") == ["Et kredsråd kan ikke skifte type."]
    saved = Body.objects.get(pk=lokalraad.pk)
    assert saved.kind == K.LOKALRAAD
    assert saved.parent == _body(KREDSRAAD_NAME)


def test_body_update_refuses_fields_it_does_not_own() -> None:
    team = _body("SSP-team Vestervang")

    with pytest.raises(TypeError, match="municipality"):
        services.body_update(body=team, municipality=_municipality("165"))

    assert Body.objects.get(pk=team.pk).municipality == _municipality("161")


def test_body_names_are_unique_per_municipality_ignoring_case() -> None:
    before = _row_counts()

    with pytest.raises(ValidationError) as excinfo:
        services.body_create(
            kind=K.WORKING_GROUP,
            name="  undervisningsgruppen ",
            municipality=_municipality("161"),
            parent=_body("SSP-Forum Glostrup"),
        )

    assert _errors(excinfo, "name") == ["Der findes allerede et organ med det navn."]
    assert _row_counts() == before


def test_another_municipality_may_use_the_same_body_name() -> None:
    body = services.body_create(
        kind=K.WORKING_GROUP,
        name="Undervisningsgruppen",
        municipality=_municipality("165"),
        parent=_body("SSP-Forum Albertslund"),
    )

    assert Body.objects.filter(name="Undervisningsgruppen").count() == 2
    assert Body.objects.get(pk=body.pk).municipality == _municipality("165")


def test_a_kredsraad_needs_a_police_district() -> None:
    before = _row_counts()

    with pytest.raises(ValidationError) as excinfo:
        services.body_create(kind=K.KREDSRAAD, name="Kredsrådet", municipality=_municipality("161"))

    assert _errors(excinfo, "police_district") == ["Vælg politikredsen."]
    assert _row_counts() == before


def test_a_kredsraad_belongs_to_its_police_district_and_no_municipality(
    odense: Municipality,
) -> None:
    kredsraad = services.body_create(
        kind=K.KREDSRAAD,
        name="Kredsrådet for Fyn",
        police_district=odense.police_district,
        municipality=odense,
    )

    saved = Body.objects.get(pk=kredsraad.pk)
    assert saved.municipality is None
    assert saved.police_district == odense.police_district


def test_a_body_other_than_a_kredsraad_needs_a_municipality() -> None:
    before = _row_counts()

    with pytest.raises(ValidationError) as excinfo:
        services.body_create(
            kind=K.LOKALRAAD,
            name="Lokalrådet",
            police_district=_municipality("161").police_district,
        )

    assert _errors(excinfo, "municipality") == ["Vælg kommunen."]
    assert _row_counts() == before


def test_body_create_gives_the_body_its_own_empty_group_named_after_it(
    brondby: Municipality,
) -> None:
    groups_before = Group.objects.count()

    body = services.body_create(
        kind=K.LOKALRAAD, name=" Lokalrådet i Brøndby ", municipality=brondby
    )

    saved = Body.objects.select_related("group").get(pk=body.pk)
    assert saved.name == "Lokalrådet i Brøndby"
    assert saved.group.name == f"body:{body.pk}"
    assert saved.group.user_set.count() == 0
    assert Group.objects.count() == groups_before + 1


def test_a_school_team_needs_a_school_unit() -> None:
    glostrup = _municipality("161")
    forum = _body("SSP-Forum Glostrup")
    before = _row_counts()

    with pytest.raises(ValidationError) as without_unit:
        services.body_create(
            kind=K.SCHOOL_TEAM, name="SSP-team X", municipality=glostrup, parent=forum
        )
    with pytest.raises(ValidationError) as with_a_club:
        services.body_create(
            kind=K.SCHOOL_TEAM,
            name="SSP-team Y",
            municipality=glostrup,
            parent=forum,
            unit=_unit("Varmeværket"),
        )

    assert _errors(without_unit, "unit") == [
        "Vælg den skole eller skoleafdeling, SSP-teamet hører til."
    ]
    assert _errors(with_a_club, "unit") == ["Et SSP-team skal høre til en skoleenhed."]
    assert _row_counts() == before


def test_a_body_refuses_a_unit_of_another_municipality() -> None:
    before = _row_counts()

    with pytest.raises(ValidationError) as excinfo:
        services.body_create(
            kind=K.SCHOOL_TEAM,
            name="SSP-team Herstedvester 2",
            municipality=_municipality("161"),
            parent=_body("SSP-Forum Glostrup"),
            unit=_unit("Herstedvester Skole"),
        )

    assert _errors(excinfo, "unit") == ["Enheden skal høre til samme kommune."]
    assert _row_counts() == before


def test_body_delete_refuses_a_body_with_bodies_below_it() -> None:
    forum = _body("SSP-Forum Glostrup")
    before = _row_counts()

    with pytest.raises(ValidationError) as excinfo:
        services.body_delete(body=forum)

    assert excinfo.value.messages == [
        "Organet har andre organer under sig. Flyt eller slet dem først."
    ]
    assert _row_counts() == before


def test_body_delete_removes_the_body_its_memberships_and_its_group() -> None:
    team = _body("Aktivitetsgruppen")
    group_id = team.group_id
    memberships = Membership.objects.filter(body=team).count()
    assert memberships == 2
    before = _row_counts()

    services.body_delete(body=team)

    assert not Body.objects.filter(pk=team.pk).exists()
    assert not Group.objects.filter(pk=group_id).exists()
    assert Membership.objects.count() == before["Membership"] - memberships
    assert Person.objects.count() == before["Person"], "the members stay in the directory"


def test_body_delete_is_refused_while_cases_point_at_the_body() -> None:
    team = _body("SSP-team Vestervang")
    before = _row_counts()

    with pytest.raises(ValidationError) as refused:
        services.body_delete(body=team)

    assert refused.value.messages == [
        "Organet kan ikke slettes, fordi der stadig er sager eller møder knyttet til det."
    ]
    assert _row_counts() == before


# --- memberships keep each body's group in sync --------------------------------------------


def test_membership_add_puts_the_members_user_in_the_bodys_group(personas: Personas) -> None:
    body = _body("Aktivitetsgruppen")
    assert _group_users(body) == {personas.club.email}

    membership = services.membership_add(
        body=body, person=_person("Lars Lund"), role=MembershipRole.COORDINATOR
    )

    saved = Membership.objects.get(pk=membership.pk)
    assert (saved.body, saved.person, saved.role) == (
        body,
        _person("Lars Lund"),
        MembershipRole.COORDINATOR,
    )
    assert _group_users(body) == {personas.club.email, personas.leader.email}


def test_membership_add_defaults_to_the_member_role() -> None:
    membership = services.membership_add(
        body=_body("Aktivitetsgruppen"), person=_person("Bente Berg")
    )

    assert Membership.objects.get(pk=membership.pk).role == MembershipRole.MEMBER


def test_membership_add_of_a_person_without_login_leaves_the_group_unchanged(
    personas: Personas,
) -> None:
    body = _body("Aktivitetsgruppen")
    person = _person("Bente Berg")
    assert person.user is None
    memberships_before = Membership.objects.filter(body=body).count()

    services.membership_add(body=body, person=person)

    assert Membership.objects.filter(body=body).count() == memberships_before + 1
    assert _group_users(body) == {personas.club.email}


def test_membership_add_leaves_a_deactivated_user_out_of_the_group(personas: Personas) -> None:
    body = _body("Aktivitetsgruppen")
    personas.leader.is_active = False
    personas.leader.save(update_fields=["is_active"])

    services.membership_add(body=body, person=_person("Lars Lund"))

    assert Membership.objects.filter(body=body, person=_person("Lars Lund")).exists()
    assert _group_users(body) == {personas.club.email}


def test_membership_add_refuses_the_same_person_twice(personas: Personas) -> None:
    body = _body("SSP-team Vestervang")
    group_before = _group_users(body)
    before = _row_counts()

    with pytest.raises(ValidationError) as excinfo:
        services.membership_add(body=body, person=_person("Lars Lund"), role=MembershipRole.GUEST)

    assert _errors(excinfo, "person") == ["Personen er allerede medlem af organet."]
    assert _row_counts() == before
    assert Membership.objects.get(body=body, person=_person("Lars Lund")).role == (
        MembershipRole.CHAIR
    )
    assert _group_users(body) == group_before


def test_membership_add_refuses_a_person_of_another_municipality() -> None:
    body = _body("SSP-team Vestervang")
    before = _row_counts()

    with pytest.raises(ValidationError) as excinfo:
        services.membership_add(body=body, person=_person("Ole Olsen", "165"))

    assert _errors(excinfo, "person") == [
        "Personen hører ikke til organets kommune eller politikreds."
    ]
    assert _row_counts() == before


def test_a_kredsraad_takes_members_from_every_municipality_of_its_police_district(
    odense: Municipality,
) -> None:
    kredsraad = _body(KREDSRAAD_NAME)
    outsider = services.person_create(
        municipality=odense, full_name="Otto Odense", sector=Sector.POLICE
    )
    before = _row_counts()

    services.membership_add(body=kredsraad, person=_person("Nina Nielsen", "165"))
    with pytest.raises(ValidationError) as excinfo:
        services.membership_add(body=kredsraad, person=outsider)

    assert Membership.objects.filter(body=kredsraad, person__full_name="Nina Nielsen").exists()
    assert _errors(excinfo, "person") == [
        "Personen hører ikke til organets kommune eller politikreds."
    ]
    assert _row_counts() == {**before, "Membership": before["Membership"] + 1}


def test_membership_change_role_saves_the_role_and_keeps_the_group() -> None:
    body = _body("SSP-team Vestervang")
    membership = Membership.objects.get(body=body, person=_person("Sara Skov"))
    group_before = _group_users(body)

    services.membership_change_role(membership=membership, role=MembershipRole.COORDINATOR)

    assert Membership.objects.get(pk=membership.pk).role == MembershipRole.COORDINATOR
    assert _group_users(body) == group_before


def test_membership_remove_takes_the_user_out_of_that_bodys_group_only(
    personas: Personas,
) -> None:
    vestervang = _body("SSP-team Vestervang")
    nordvang = _body("SSP-team Nordvang")
    assert personas.social.email in _group_users(vestervang)
    membership = Membership.objects.get(body=vestervang, person=_person("Sara Skov"))

    services.membership_remove(membership=membership)

    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert personas.social.email not in _group_users(vestervang)
    assert personas.leader.email in _group_users(vestervang)
    assert personas.social.email in _group_users(nordvang), "another body's group was touched"


def test_membership_remove_of_a_person_without_login_leaves_the_group_unchanged() -> None:
    body = _body("SSP-team Vestervang")
    membership = Membership.objects.get(body=body, person=_person("Gitte Gram"))
    group_before = _group_users(body)

    services.membership_remove(membership=membership)

    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert _group_users(body) == group_before


def test_a_user_seated_twice_stays_in_the_group_until_their_last_membership_goes(
    personas: Personas,
) -> None:
    # Peter Poulsen is in the directory of both Glostrup and Albertslund, and a Kredsråd
    # takes members from both, so one login can hold two seats in it.
    kredsraad = _body(KREDSRAAD_NAME)
    in_glostrup = services.membership_add(body=kredsraad, person=_person("Peter Poulsen", "161"))
    in_albertslund = services.membership_add(body=kredsraad, person=_person("Peter Poulsen", "165"))
    assert personas.police.email in _group_users(kredsraad)

    services.membership_remove(membership=in_glostrup)
    assert personas.police.email in _group_users(kredsraad)

    services.membership_remove(membership=in_albertslund)
    assert personas.police.email not in _group_users(kredsraad)


def test_person_delete_takes_their_user_out_of_every_bodys_group(personas: Personas) -> None:
    person = _person("Sara Skov")
    bodies = list(Body.objects.filter(memberships__person=person))
    assert len(bodies) == 5, "the forum, two school teams, the §115 group, one ad-hoc group"
    for body in bodies:
        assert personas.social.email in _group_users(body)

    services.person_delete(person=person)

    assert not Person.objects.filter(pk=person.pk).exists()
    for body in bodies:
        assert personas.social.email not in _group_users(body), f"still in {body}'s group"


# --- people and their invitations ------------------------------------------------------------


def _set_password_path(message_body: str) -> str:
    links = INVITATION_LINK.findall(message_body)
    assert len(links) == 1, f"expected one password link in the invitation, found {links}"
    assert links[0].startswith(f"{settings.SSP_BASE_URL}/")
    return urlsplit(links[0]).path


def test_person_create_with_login_creates_a_user_and_invites_them_after_commit(
    django_capture_on_commit_callbacks, mailoutbox
) -> None:
    glostrup = _municipality("161")
    users_before = User.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        person = services.person_create(
            municipality=glostrup,
            full_name=" Maja Mortensen ",
            sector=Sector.SCHOOL,
            job_title="Lærer",
            unit=_unit("Glostrup Skole"),
            email=" Maja.Mortensen@Glostrup.DK ",
            with_login=True,
        )
        assert mailoutbox == [], "the invitation went out before the transaction committed"

    assert User.objects.count() == users_before + 1
    user = User.objects.get(email="maja.mortensen@glostrup.dk")
    assert (user.full_name, user.sector) == ("Maja Mortensen", Sector.SCHOOL)
    assert not user.has_usable_password()
    assert not user.is_staff
    saved = Person.objects.get(pk=person.pk)
    assert saved.user == user
    assert saved.email == "maja.mortensen@glostrup.dk"
    affiliation = Affiliation.objects.get(user=user)
    assert affiliation.municipality == glostrup
    assert not affiliation.is_administrator
    assert not affiliation.is_ssp_consultant

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["maja.mortensen@glostrup.dk"]
    assert message.subject == f"Du er oprettet i {settings.SSP_SITE_NAME}"
    assert "Hej Maja Mortensen" in message.body
    assert "Vælg din adgangskode her:" in message.body


def test_the_invitation_link_opens_the_set_password_form_and_sets_the_password(
    django_capture_on_commit_callbacks, mailoutbox
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        person = services.person_create(
            municipality=_municipality("161"),
            full_name="Maja Mortensen",
            sector=Sector.SCHOOL,
            email="maja.mortensen@glostrup.dk",
            with_login=True,
        )
    user = person.user
    client = Client()

    opened = client.get(_set_password_path(mailoutbox[0].body))

    assert opened.status_code == 302
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    assert opened["Location"] == f"/ny-adgangskode/{uidb64}/set-password/"
    form = client.get(opened["Location"])
    assert form.status_code == 200
    assert 'name="new_password1"' in form.content.decode()

    done = client.post(
        opened["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    assert done.status_code == 302
    # A new account has no authenticator yet: it is set up next, the mailbox being proven.
    assert done["Location"] == "/log-ind/opsaet-app/"
    assert User.objects.get(pk=user.pk).check_password(NEW_PASSWORD)


def test_the_invitation_names_the_administrator_who_sent_it(
    personas: Personas, django_capture_on_commit_callbacks, mailoutbox
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.person_create(
            municipality=_municipality("161"),
            full_name="Maja Mortensen",
            sector=Sector.SCHOOL,
            email="maja.mortensen@glostrup.dk",
            with_login=True,
            invited_by=personas.admin,
        )

    assert len(mailoutbox) == 1
    assert f"{personas.admin.full_name} har oprettet dig som bruger" in mailoutbox[0].body


def test_person_create_refuses_a_login_email_already_in_the_municipality(
    personas: Personas, django_capture_on_commit_callbacks, mailoutbox
) -> None:
    before = _row_counts()

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError) as excinfo,
    ):
        services.person_create(
            municipality=_municipality("161"),
            full_name="Sara Skov igen",
            sector=Sector.SOCIAL,
            email=personas.social.email.upper(),
            with_login=True,
        )

    assert _errors(excinfo, "email") == ["Der findes allerede en person med det login i kommunen."]
    assert _row_counts() == before
    assert mailoutbox == []


def test_person_create_links_the_existing_user_of_another_municipality_without_inviting(
    personas: Personas, django_capture_on_commit_callbacks, mailoutbox
) -> None:
    neighbour = personas.neighbour
    glostrup = _municipality("161")
    users_before = User.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        person = services.person_create(
            municipality=glostrup,
            full_name="Nanna Nabo",
            sector=Sector.SCHOOL,
            email=neighbour.email,
            with_login=True,
        )

    assert Person.objects.get(pk=person.pk).user == neighbour
    assert User.objects.count() == users_before
    assert set(
        Affiliation.objects.filter(user=neighbour).values_list("municipality__code", flat=True)
    ) == {"161", "165"}
    assert mailoutbox == [], "an existing user was invited again"


def test_person_create_keeps_the_roles_of_an_already_affiliated_user(
    personas: Personas,
) -> None:
    glostrup = _municipality("161")
    services.affiliation_set(user=personas.neighbour, municipality=glostrup, is_ssp_consultant=True)

    services.person_create(
        municipality=glostrup,
        full_name="Nanna Nabo",
        sector=Sector.SCHOOL,
        email=personas.neighbour.email,
        with_login=True,
    )

    assert Affiliation.objects.get(user=personas.neighbour, municipality=glostrup).is_ssp_consultant
    assert _municipal_perms(personas.neighbour, glostrup) == {"forum.triage_municipality"}


def test_person_create_with_login_needs_an_email(mailoutbox) -> None:
    before = _row_counts()

    with pytest.raises(ValidationError) as excinfo:
        services.person_create(
            municipality=_municipality("161"),
            full_name="Maja Mortensen",
            sector=Sector.SCHOOL,
            email="  ",
            with_login=True,
        )

    assert _errors(excinfo, "email") == ["En person med login skal have en arbejdsmail."]
    assert _row_counts() == before


def test_person_create_without_login_creates_no_user_and_sends_nothing(
    django_capture_on_commit_callbacks, mailoutbox
) -> None:
    users_before = User.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        person = services.person_create(
            municipality=_municipality("161"),
            full_name="Maja Mortensen",
            sector=Sector.SCHOOL,
            email="maja.mortensen@glostrup.dk",
            phone=" +45 43 23 63 99 ",
        )

    saved = Person.objects.get(pk=person.pk)
    assert saved.user is None
    assert saved.phone == "+45 43 23 63 99"
    assert User.objects.count() == users_before
    assert mailoutbox == []


def test_person_create_refuses_a_unit_of_another_municipality() -> None:
    before = _row_counts()

    with pytest.raises(ValidationError) as excinfo:
        services.person_create(
            municipality=_municipality("161"),
            full_name="Maja Mortensen",
            sector=Sector.SCHOOL,
            unit=_unit("Herstedvester Skole"),
            email="maja.mortensen@glostrup.dk",
            with_login=True,
        )

    assert _errors(excinfo, "unit") == ["Enheden skal høre til samme kommune."]
    assert _row_counts() == before


def test_person_update_renames_the_persons_login_too(personas: Personas) -> None:
    person = _person("Sara Skov")

    services.person_update(person=person, full_name=" Sara Skov Hansen ")

    assert Person.objects.get(pk=person.pk).full_name == "Sara Skov Hansen"
    assert User.objects.get(pk=personas.social.pk).full_name == "Sara Skov Hansen"


def test_person_update_refuses_fields_it_does_not_own() -> None:
    person = _person("Bente Berg")

    with pytest.raises(TypeError, match="municipality"):
        services.person_update(person=person, municipality=_municipality("165"))

    assert Person.objects.get(pk=person.pk).municipality == _municipality("161")


# --- affiliations: municipal roles, guardian permissions and Django admin ---------------------


@pytest.mark.parametrize(
    ("is_ssp_consultant", "is_administrator"),
    [(False, False), (True, False), (False, True), (True, True)],
)
def test_affiliation_set_grants_exactly_the_permissions_of_the_roles(
    personas: Personas, is_ssp_consultant: bool, is_administrator: bool
) -> None:
    user = personas.outsider
    glostrup = _municipality("161")

    services.affiliation_set(
        user=user,
        municipality=glostrup,
        is_ssp_consultant=is_ssp_consultant,
        is_administrator=is_administrator,
    )

    roles = {"is_ssp_consultant": is_ssp_consultant, "is_administrator": is_administrator}
    expected = {
        perm
        for role, perms in MUNICIPALITY_ROLE_PERMISSIONS.items()
        if roles[role]
        for perm in perms
    }
    assert _municipal_perms(user, glostrup) == expected
    assert _municipal_perms(user, _municipality("165")) == set(), "granted on every municipality"
    affiliation = Affiliation.objects.get(user=user, municipality=glostrup)
    assert (affiliation.is_ssp_consultant, affiliation.is_administrator) == (
        is_ssp_consultant,
        is_administrator,
    )
    assert User.objects.get(pk=user.pk).is_staff is is_administrator


def test_affiliation_set_again_revokes_the_roles_no_longer_given(personas: Personas) -> None:
    consultant = personas.consultant
    glostrup = _municipality("161")
    assert _municipal_perms(consultant, glostrup) == {"forum.triage_municipality"}

    services.affiliation_set(user=consultant, municipality=glostrup, is_administrator=True)

    assert _municipal_perms(consultant, glostrup) == {"forum.administer_municipality"}
    assert Affiliation.objects.filter(user=consultant).count() == 1
    assert User.objects.get(pk=consultant.pk).is_staff


def test_affiliation_remove_deletes_the_row_and_revokes_that_municipalitys_roles_only(
    personas: Personas,
) -> None:
    admin = personas.admin
    glostrup, albertslund = _municipality("161"), _municipality("165")
    assert _municipal_perms(admin, glostrup) == {"forum.administer_municipality"}

    services.affiliation_remove(user=admin, municipality=glostrup)

    assert not Affiliation.objects.filter(user=admin, municipality=glostrup).exists()
    assert _municipal_perms(admin, glostrup) == set()
    assert _municipal_perms(admin, albertslund) == {"forum.administer_municipality"}
    assert User.objects.get(pk=admin.pk).is_staff, "still administers Albertslund"


def test_is_staff_goes_with_the_last_administrator_role(personas: Personas) -> None:
    admin = personas.admin
    glostrup, albertslund = _municipality("161"), _municipality("165")

    services.affiliation_set(user=admin, municipality=glostrup)
    assert User.objects.get(pk=admin.pk).is_staff

    services.affiliation_remove(user=admin, municipality=albertslund)
    assert not User.objects.get(pk=admin.pk).is_staff
    assert _municipal_perms(admin, glostrup) == set()


def test_affiliation_set_never_takes_django_admin_from_a_superuser() -> None:
    root = User.objects.create_superuser("root@test.ssp", password=NEW_PASSWORD, full_name="Rod")

    services.affiliation_set(user=root, municipality=_municipality("161"))
    services.affiliation_remove(user=root, municipality=_municipality("161"))

    assert User.objects.get(pk=root.pk).is_staff


# --- units -------------------------------------------------------------------------------


def test_unit_create_saves_the_unit_in_the_municipality() -> None:
    glostrup = _municipality("161")

    unit = services.unit_create(
        municipality=glostrup,
        name="Glostrup Skole, afdeling Østervang",
        sector=Sector.SCHOOL,
        parent=_unit("Glostrup Skole"),
        email="ostervang@demo.ssp",
    )

    saved = Unit.objects.get(pk=unit.pk)
    assert saved.municipality == glostrup
    assert saved.parent == _unit("Glostrup Skole")
    assert saved.email == "ostervang@demo.ssp"


def test_unit_names_are_unique_per_municipality_ignoring_case() -> None:
    before = _row_counts()

    with pytest.raises(ValidationError) as excinfo:
        services.unit_create(
            municipality=_municipality("161"), name="glostrup BIBLIOTEK", sector=Sector.OTHER
        )

    assert _errors(excinfo, "name") == ["Kommunen har allerede en enhed med det navn."]
    assert _row_counts() == before


def test_another_municipality_may_use_the_same_unit_name() -> None:
    unit = services.unit_create(
        municipality=_municipality("165"), name="Natteravnene", sector=Sector.OTHER
    )

    assert Unit.objects.filter(name="Natteravnene").count() == 2
    assert Unit.objects.get(pk=unit.pk).municipality == _municipality("165")


def test_unit_create_refuses_a_parent_of_another_municipality() -> None:
    before = _row_counts()

    with pytest.raises(ValidationError) as excinfo:
        services.unit_create(
            municipality=_municipality("161"),
            name="Ny afdeling",
            sector=Sector.SCHOOL,
            parent=_unit("Herstedvester Skole"),
        )

    assert _errors(excinfo, "parent") == ["Den overordnede enhed skal høre til samme kommune."]
    assert _row_counts() == before


def test_unit_update_saves_the_changed_fields() -> None:
    unit = _unit("Varmeværket")

    services.unit_update(unit=unit, name="VARMEVÆRKET", phone="+45 43 23 61 99")

    saved = Unit.objects.get(pk=unit.pk)
    assert saved.name == "VARMEVÆRKET", "renaming a unit must not clash with itself"
    assert saved.phone == "+45 43 23 61 99"


def test_unit_update_refuses_another_units_name() -> None:
    unit = _unit("Varmeværket")

    with pytest.raises(ValidationError) as excinfo:
        services.unit_update(unit=unit, name="Pitstop")

    assert _errors(excinfo, "name") == ["Kommunen har allerede en enhed med det navn."]
    assert Unit.objects.get(pk=unit.pk).name == "Varmeværket"


def test_unit_update_refuses_making_a_unit_its_own_parent() -> None:
    unit = _unit("Glostrup Skole")
    old_parent = unit.parent_id

    with pytest.raises(ValidationError) as excinfo:
        services.unit_update(unit=unit, parent=unit)

    assert _errors(excinfo, "parent") == ["En enhed kan ikke høre under sig selv."]
    assert Unit.objects.get(pk=unit.pk).parent_id == old_parent


def test_unit_update_refuses_a_cycle_through_a_unit_below_it() -> None:
    centre = _unit("Center for Dagtilbud og Skole")
    department = _unit("Glostrup Skole, afdeling Vestervang")
    assert department.parent.parent == centre

    with pytest.raises(ValidationError) as excinfo:
        services.unit_update(unit=centre, parent=department)

    assert _errors(excinfo, "parent") == ["En enhed kan ikke høre under sig selv."]
    assert Unit.objects.get(pk=centre.pk).parent is None


def test_unit_update_may_move_a_unit_under_another_of_the_municipality() -> None:
    unit = _unit("Pitstop")

    services.unit_update(unit=unit, parent=_unit("Center for Dagtilbud og Skole"))

    assert Unit.objects.get(pk=unit.pk).parent == _unit("Center for Dagtilbud og Skole")
