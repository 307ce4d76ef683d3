"""Units through the service layer: unique names per municipality and a tree within
the municipality.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from forum import services
from forum.models import Municipality, Unit
from ssp.models import Sector
from tests.forum.service_helpers import field_errors, row_counts

pytestmark = pytest.mark.django_db


def _municipality(code: str) -> Municipality:
    return Municipality.objects.get(code=code)


def _unit(name: str) -> Unit:
    return Unit.objects.get(name=name)


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
    before = row_counts()

    with pytest.raises(ValidationError) as excinfo:
        services.unit_create(
            municipality=_municipality("161"), name="glostrup BIBLIOTEK", sector=Sector.OTHER
        )

    assert field_errors(excinfo, "name") == ["Kommunen har allerede en enhed med det navn."]
    assert row_counts() == before


def test_another_municipality_may_use_the_same_unit_name() -> None:
    unit = services.unit_create(
        municipality=_municipality("165"), name="Natteravnene", sector=Sector.OTHER
    )

    assert Unit.objects.filter(name="Natteravnene").count() == 2
    assert Unit.objects.get(pk=unit.pk).municipality == _municipality("165")


def test_unit_create_refuses_a_parent_of_another_municipality() -> None:
    before = row_counts()

    with pytest.raises(ValidationError) as excinfo:
        services.unit_create(
            municipality=_municipality("161"),
            name="Ny afdeling",
            sector=Sector.SCHOOL,
            parent=_unit("Herstedvester Skole"),
        )

    assert field_errors(excinfo, "parent") == ["Den overordnede enhed skal høre til samme kommune."]
    assert row_counts() == before


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

    assert field_errors(excinfo, "name") == ["Kommunen har allerede en enhed med det navn."]
    assert Unit.objects.get(pk=unit.pk).name == "Varmeværket"


def test_unit_update_refuses_making_a_unit_its_own_parent() -> None:
    unit = _unit("Glostrup Skole")
    old_parent = unit.parent_id

    with pytest.raises(ValidationError) as excinfo:
        services.unit_update(unit=unit, parent=unit)

    assert field_errors(excinfo, "parent") == ["En enhed kan ikke høre under sig selv."]
    assert Unit.objects.get(pk=unit.pk).parent_id == old_parent


def test_unit_update_refuses_a_cycle_through_a_unit_below_it() -> None:
    centre = _unit("Center for Dagtilbud og Skole")
    department = _unit("Glostrup Skole, afdeling Vestervang")
    assert department.parent.parent == centre

    with pytest.raises(ValidationError) as excinfo:
        services.unit_update(unit=centre, parent=department)

    assert field_errors(excinfo, "parent") == ["En enhed kan ikke høre under sig selv."]
    assert Unit.objects.get(pk=centre.pk).parent is None


def test_unit_update_may_move_a_unit_under_another_of_the_municipality() -> None:
    unit = _unit("Pitstop")

    services.unit_update(unit=unit, parent=_unit("Center for Dagtilbud og Skole"))

    assert Unit.objects.get(pk=unit.pk).parent == _unit("Center for Dagtilbud og Skole")


def test_a_unit_code_is_unique_within_the_municipality_whatever_its_case() -> None:
    glostrup, albertslund = _municipality("161"), _municipality("165")
    services.unit_create(municipality=glostrup, name="Kode A", sector=Sector.SCHOOL, code="SK-1")
    before = row_counts()

    with pytest.raises(ValidationError) as refused:
        services.unit_create(
            municipality=glostrup, name="Kode B", sector=Sector.SCHOOL, code=" sk-1 "
        )

    assert field_errors(refused, "code") == ["Kommunen har allerede en enhed med den kode."]
    assert row_counts() == before
    other = services.unit_create(
        municipality=albertslund, name="Kode A", sector=Sector.SCHOOL, code="SK-1"
    )
    assert other.code == "SK-1", "another municipality may use the same code"


def test_units_without_a_code_are_many() -> None:
    glostrup = _municipality("161")
    Unit.objects.filter(municipality=glostrup).update(code="")

    services.unit_create(municipality=glostrup, name="Uden kode 1", sector=Sector.SCHOOL)
    services.unit_create(municipality=glostrup, name="Uden kode 2", sector=Sector.SCHOOL)

    assert Unit.objects.filter(municipality=glostrup, code="").count() >= 2
