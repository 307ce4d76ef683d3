"""The sectors SSP works with beyond the municipality's child services: housing, the
jobcentre, the Kriminalforsorgen, the youth guidance (UU) and the volunteers. None is a
handling sector (docs/legal.md, "The handling sectors"): their staff may sit in bodies and
log concerns, but are never SSP consultants and read a case only through a recorded basis."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from cases.permissions import in_handling_sector
from forum import services
from forum.models import Affiliation, Municipality
from ssp.models import HANDLING_SECTORS, Sector, User
from tests.personas import Personas

pytestmark = pytest.mark.django_db

NEW_SECTORS = [
    Sector.HOUSING,
    Sector.JOBCENTER,
    Sector.PROBATION,
    Sector.YOUTH_GUIDANCE,
    Sector.VOLUNTEER,
]


@pytest.mark.parametrize("sector", NEW_SECTORS)
def test_staff_of_the_new_sectors_may_not_be_ssp_consultants(
    sector: str, personas: Personas
) -> None:
    glostrup = Municipality.objects.get(code="161")
    user = User.objects.create_user(
        f"{sector}@test.ssp", password="x", full_name="Sonja Sektor", sector=sector
    )

    with pytest.raises(ValidationError) as excinfo:
        services.affiliation_set(
            user=user, municipality=glostrup, is_ssp_consultant=True, by=personas.admin
        )

    [message] = excinfo.value.message_dict["is_ssp_consultant"]
    assert f"hører til sektoren {Sector(sector).label}" in message
    assert not Affiliation.objects.filter(user=user).exists()


@pytest.mark.parametrize("sector", NEW_SECTORS)
def test_the_new_sectors_read_cases_only_through_a_recorded_basis(sector: str) -> None:
    user = User.objects.create_user(f"{sector}@test.ssp", password="x", sector=sector)

    assert sector not in HANDLING_SECTORS
    assert not in_handling_sector(user)


def test_a_unit_and_a_person_may_belong_to_a_new_sector() -> None:
    glostrup = Municipality.objects.get(code="161")
    unit = services.unit_create(
        municipality=glostrup, name="Boligsocial helhedsplan Nord", sector=Sector.HOUSING
    )
    person = services.person_create(
        municipality=glostrup,
        full_name="Hanne Helhedsplan",
        sector=Sector.HOUSING,
        unit=unit,
    )

    assert person.get_sector_display() == "Boligsocialt arbejde og boligforeninger"
    assert unit.get_sector_display() == "Boligsocialt arbejde og boligforeninger"
