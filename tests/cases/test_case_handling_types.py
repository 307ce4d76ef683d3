"""Cases under a body whose type the municipality lets handle cases (København's local
SSP-udvalg, `forum.BodyType.may_handle_cases`): opened there like under a school team, read
by its handling-sector members under R2 and by its police only through a recorded basis, as
docs/legal.md says for every responsible body. A body of a type that does not handle cases
is refused as responsible body, and a seat in a case-handling body is a case role."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from cases import choosers, selectors
from cases.models import Case
from cases.permissions import cases_visible_to
from forum import bodytypes, services
from forum.models import Body, BodyKind, Municipality
from forum.presets import TypeSpec
from ssp.models import Sector, User
from tests.factories import CaseFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def kbh() -> Municipality:
    from tests.factories import MunicipalityFactory

    return MunicipalityFactory(name="København", code="101")


def _udvalg(municipality: Municipality, *, handles: bool) -> Body:
    lokalraad = services.body_create(
        kind=BodyKind.LOKALRAAD, municipality=municipality, name="Lokalrådet"
    )
    body_type = bodytypes.body_type_create(
        municipality=municipality,
        spec=TypeSpec(
            name="Lokalt SSP-udvalg" if handles else "Temaudvalg",
            kind=BodyKind.SSP_UDVALG,
            may_handle_cases=handles,
        ),
    )
    return services.body_create(body_type=body_type, name="SSP-udvalg Valby", parent=lokalraad)


def _member(body: Body, sector: str, email: str) -> User:
    user = UserFactory(email=email, sector=sector)
    person = PersonFactory(municipality=body.municipality, full_name=email, sector=sector)
    person.user = user
    person.save(update_fields=["user"])
    services.affiliation_set(user=user, municipality=body.municipality, by=None)
    services.membership_add(body=body, person=person, by=None)
    return user


def test_a_case_handling_udvalg_takes_cases_and_its_handling_members_read_them(
    kbh: Municipality,
) -> None:
    udvalg = _udvalg(kbh, handles=True)
    teacher = _member(udvalg, Sector.SCHOOL, "laerer@kbh.test")
    officer = _member(udvalg, Sector.POLICE, "betjent@kbh.test")
    probation = _member(udvalg, Sector.PROBATION, "kriminalforsorg@kbh.test")

    case = CaseFactory(municipality=kbh, responsible_body=udvalg)

    assert udvalg in selectors.handling_bodies(kbh.pk)
    assert cases_visible_to(teacher).filter(pk=case.pk).exists()
    assert not cases_visible_to(officer).filter(pk=case.pk).exists(), (
        "the police read a case of a case-handling udvalg without a recorded basis"
    )
    assert not cases_visible_to(probation).filter(pk=case.pk).exists(), (
        "the Kriminalforsorgen read a case of a case-handling udvalg without a recorded basis"
    )


def test_an_udvalg_of_a_type_that_does_not_handle_cases_is_refused(kbh: Municipality) -> None:
    udvalg = _udvalg(kbh, handles=False)
    before = Case.objects.count()

    with pytest.raises(ValidationError) as excinfo:
        CaseFactory(municipality=kbh, responsible_body=udvalg)

    assert excinfo.value.message_dict["responsible_body"] == [
        "Vælg et af kommunens SSP-teams, §115-gruppen eller et organ, der behandler sager."
    ]
    assert Case.objects.count() == before
    assert udvalg not in selectors.handling_bodies(kbh.pk)


def test_a_seat_in_a_case_handling_udvalg_is_a_case_role(kbh: Municipality) -> None:
    udvalg = _udvalg(kbh, handles=True)
    admin = UserFactory(email="admin@kbh.test", sector=Sector.SCHOOL)
    services.affiliation_set(user=admin, municipality=kbh, is_administrator=True, by=None)
    person = PersonFactory(municipality=kbh, full_name="Ada")
    person.user = admin
    person.save(update_fields=["user"])
    assert admin in choosers.administrators_without_case_role(kbh.pk)

    services.membership_add(body=udvalg, person=person, by=None)

    assert admin not in choosers.administrators_without_case_role(kbh.pk)
