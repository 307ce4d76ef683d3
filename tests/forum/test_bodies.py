"""A body's own rules in the service layer: unique names, where a Kredsråd belongs, a
school team's school, its own auth group, and when it may be deleted. A refused write raises
`ValidationError` with a Danish message and leaves the database as it was.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from forum import services
from forum.models import Body, BodyKind, Membership, Municipality, Person, Unit
from tests.forum.service_helpers import field_errors, row_counts

pytestmark = pytest.mark.django_db

K = BodyKind


def _municipality(code: str) -> Municipality:
    return Municipality.objects.get(code=code)


def _body(name: str) -> Body:
    return Body.objects.get(name=name)


def _unit(name: str) -> Unit:
    return Unit.objects.get(name=name)


def test_body_names_are_unique_per_municipality_ignoring_case() -> None:
    before = row_counts()

    with pytest.raises(ValidationError) as excinfo:
        services.body_create(
            kind=K.WORKING_GROUP,
            name="  undervisningsgruppen ",
            municipality=_municipality("161"),
            parent=_body("SSP-Forum Glostrup"),
        )

    assert field_errors(excinfo, "name") == ["Der findes allerede et organ med det navn."]
    assert row_counts() == before


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
    before = row_counts()

    with pytest.raises(ValidationError) as excinfo:
        services.body_create(kind=K.KREDSRAAD, name="Kredsrådet", municipality=_municipality("161"))

    assert field_errors(excinfo, "police_district") == ["Vælg politikredsen."]
    assert row_counts() == before


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
    before = row_counts()

    with pytest.raises(ValidationError) as excinfo:
        services.body_create(
            kind=K.LOKALRAAD,
            name="Lokalrådet",
            police_district=_municipality("161").police_district,
        )

    assert field_errors(excinfo, "municipality") == ["Vælg kommunen."]
    assert row_counts() == before


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
    before = row_counts()

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

    assert field_errors(without_unit, "unit") == [
        "Vælg den skole eller skoleafdeling, SSP-teamet hører til."
    ]
    assert field_errors(with_a_club, "unit") == ["Et SSP-team skal høre til en skoleenhed."]
    assert row_counts() == before


def test_a_body_refuses_a_unit_of_another_municipality() -> None:
    before = row_counts()

    with pytest.raises(ValidationError) as excinfo:
        services.body_create(
            kind=K.SCHOOL_TEAM,
            name="SSP-team Herstedvester 2",
            municipality=_municipality("161"),
            parent=_body("SSP-Forum Glostrup"),
            unit=_unit("Herstedvester Skole"),
        )

    assert field_errors(excinfo, "unit") == ["Enheden skal høre til samme kommune."]
    assert row_counts() == before


def test_body_delete_refuses_a_body_with_bodies_below_it() -> None:
    forum = _body("SSP-Forum Glostrup")
    before = row_counts()

    with pytest.raises(ValidationError) as excinfo:
        services.body_delete(body=forum)

    assert excinfo.value.messages == [
        "Organet har andre organer under sig. Flyt eller slet dem først."
    ]
    assert row_counts() == before


def test_body_delete_removes_the_body_its_memberships_and_its_group() -> None:
    # A new working group: the demo's groups have prevention work that keeps them.
    team = services.body_create(
        kind=K.WORKING_GROUP,
        name="Sommergruppen",
        municipality=_municipality("161"),
        parent=_body("SSP-Forum Glostrup"),
    )
    for name in ("Mads Møller", "Kasper Krog"):
        Membership.objects.create(body=team, person=Person.objects.get(full_name=name))
    group_id = team.group_id
    memberships = Membership.objects.filter(body=team).count()
    assert memberships == 2
    before = row_counts()

    services.body_delete(body=team)

    assert not Body.objects.filter(pk=team.pk).exists()
    assert not Group.objects.filter(pk=group_id).exists()
    assert Membership.objects.count() == before["Membership"] - memberships
    assert Person.objects.count() == before["Person"], "the members stay in the directory"


def test_body_delete_is_refused_while_cases_point_at_the_body() -> None:
    team = _body("SSP-team Vestervang")
    before = row_counts()

    with pytest.raises(ValidationError) as refused:
        services.body_delete(body=team)

    assert refused.value.messages == [
        "Organet kan ikke slettes, fordi der stadig er sager eller møder knyttet til det."
    ]
    assert row_counts() == before
