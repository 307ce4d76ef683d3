"""The factories build rows through the services, with the side effects tests rely on: a
body's group, a member in it, role permissions, a case's access grants, a meeting's
invitations."""

from __future__ import annotations

import pytest

from cases.permissions import cases_visible_to
from cases.services import ReportedIdentity
from ssp.models import Sector
from tests.factories import (
    AffiliationFactory,
    BodyFactory,
    CaseFactory,
    ConcernFactory,
    MeetingFactory,
    MembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_a_body_gets_its_own_empty_group() -> None:
    body = BodyFactory()

    assert body.group.name == f"body:{body.pk}"
    assert body.group.user_set.count() == 0


def test_a_member_with_a_login_is_put_in_the_bodys_group() -> None:
    membership = MembershipFactory(person__with_login=True, person__email="medlem@test.ssp")

    assert list(membership.body.group.user_set.values_list("email", flat=True)) == [
        "medlem@test.ssp"
    ]


def test_an_affiliation_grants_exactly_the_permissions_of_its_roles() -> None:
    affiliation = AffiliationFactory(is_administrator=True)
    user, municipality = affiliation.user, affiliation.municipality

    assert user.has_perm("forum.administer_municipality", municipality)
    assert not user.has_perm("forum.triage_municipality", municipality)


def test_a_case_is_seen_by_its_consultant_and_its_handling_body_and_no_one_else() -> None:
    case = CaseFactory()
    member = MembershipFactory(
        body=case.responsible_body,
        person__with_login=True,
        person__email="team@test.ssp",
        person__sector=Sector.SCHOOL,
    )
    # A member outside the handling sectors reads the case only through a recorded basis.
    other = MembershipFactory(
        body=case.responsible_body, person__with_login=True, person__email="andet@test.ssp"
    )
    stranger = AffiliationFactory().user

    assert case in cases_visible_to(case.opened_by)
    assert case in cases_visible_to(member.person.user)
    assert case not in cases_visible_to(other.person.user)
    assert case not in cases_visible_to(stranger)
    assert case not in cases_visible_to(UserFactory())


def test_a_concern_is_about_a_young_person_of_its_municipality_by_its_staff() -> None:
    concern = ConcernFactory()

    assert concern.young_person.municipality == concern.municipality
    assert concern.author.municipalities.get() == concern.municipality


def test_a_concern_may_register_its_young_person_as_the_form_does() -> None:
    concern = ConcernFactory(
        young_person=None, new_young_person=ReportedIdentity(full_name="Ny Ung")
    )

    assert concern.young_person.full_name == "Ny Ung"
    assert concern.young_person.municipality == concern.municipality


def test_a_meeting_invites_the_members_of_its_body() -> None:
    membership = MembershipFactory()

    meeting = MeetingFactory(body=membership.body)

    assert [p.person for p in meeting.participants.all()] == [membership.person]
