"""Affiliations: municipal roles become guardian permissions on the municipality, and
the administrator role gives Django admin access (never taken from a superuser).
"""

from __future__ import annotations

import pytest

from forum import services
from forum.models import Affiliation, Municipality
from forum.permissions import MUNICIPALITY_ROLE_PERMISSIONS
from ssp.models import Sector, User
from tests.forum.service_helpers import municipal_perms
from tests.personas import Personas

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Kaffekande-Regnbue-47"


def _municipality(code: str) -> Municipality:
    return Municipality.objects.get(code=code)


@pytest.mark.parametrize(
    ("is_ssp_consultant", "is_administrator"),
    [(False, False), (True, False), (False, True), (True, True)],
)
def test_affiliation_set_grants_exactly_the_permissions_of_the_roles(
    personas: Personas, is_ssp_consultant: bool, is_administrator: bool
) -> None:
    # A school employee: only a handling sector may be SSP consultant.
    user = User.objects.create_user(
        "skole@test.ssp", password=NEW_PASSWORD, full_name="Sanne Skole", sector=Sector.SCHOOL
    )
    glostrup = _municipality("161")

    services.affiliation_set(
        user=user,
        municipality=glostrup,
        is_ssp_consultant=is_ssp_consultant,
        is_administrator=is_administrator,
        by=None,
    )

    roles = {"is_ssp_consultant": is_ssp_consultant, "is_administrator": is_administrator}
    expected = {
        perm
        for role, perms in MUNICIPALITY_ROLE_PERMISSIONS.items()
        if roles[role]
        for perm in perms
    }
    assert municipal_perms(user, glostrup) == expected
    assert municipal_perms(user, _municipality("165")) == set(), "granted on every municipality"
    affiliation = Affiliation.objects.get(user=user, municipality=glostrup)
    assert (affiliation.is_ssp_consultant, affiliation.is_administrator) == (
        is_ssp_consultant,
        is_administrator,
    )
    assert User.objects.get(pk=user.pk).is_staff is is_administrator


def test_affiliation_set_again_revokes_the_roles_no_longer_given(personas: Personas) -> None:
    consultant = personas.consultant
    glostrup = _municipality("161")
    assert municipal_perms(consultant, glostrup) == {"forum.triage_municipality"}

    services.affiliation_set(user=consultant, municipality=glostrup, is_administrator=True, by=None)

    assert municipal_perms(consultant, glostrup) == {"forum.administer_municipality"}
    assert Affiliation.objects.filter(user=consultant).count() == 1
    assert User.objects.get(pk=consultant.pk).is_staff


def test_affiliation_remove_deletes_the_row_and_revokes_that_municipalitys_roles_only(
    personas: Personas,
) -> None:
    admin = personas.admin
    glostrup, albertslund = _municipality("161"), _municipality("165")
    assert municipal_perms(admin, glostrup) == {"forum.administer_municipality"}

    services.affiliation_remove(user=admin, municipality=glostrup)

    assert not Affiliation.objects.filter(user=admin, municipality=glostrup).exists()
    assert municipal_perms(admin, glostrup) == set()
    assert municipal_perms(admin, albertslund) == {"forum.administer_municipality"}
    assert User.objects.get(pk=admin.pk).is_staff, "still administers Albertslund"


def test_is_staff_goes_with_the_last_administrator_role(personas: Personas) -> None:
    admin = personas.admin
    glostrup, albertslund = _municipality("161"), _municipality("165")

    services.affiliation_set(user=admin, municipality=glostrup, by=None)
    assert User.objects.get(pk=admin.pk).is_staff

    services.affiliation_remove(user=admin, municipality=albertslund)
    assert not User.objects.get(pk=admin.pk).is_staff
    assert municipal_perms(admin, glostrup) == set()


def test_affiliation_set_never_takes_django_admin_from_a_superuser() -> None:
    root = User.objects.create_superuser("root@test.ssp", password=NEW_PASSWORD, full_name="Rod")

    services.affiliation_set(user=root, municipality=_municipality("161"), by=None)
    services.affiliation_remove(user=root, municipality=_municipality("161"))

    assert User.objects.get(pk=root.pk).is_staff
