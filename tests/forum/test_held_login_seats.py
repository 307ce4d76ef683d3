"""A person imported with seats and a held login: when the login goes out, the seats become
the account's as a new seat would. The bodies' groups take the account in (the team's cases
become readable through the team), a seat in a body that reads cases is logged and told to the
consultants, and an administrator cannot link themselves into such a body this way."""

from __future__ import annotations

import pytest

from forum import logins, services
from forum.login_models import HeldLogin
from forum.models import Body, BodyKind, Municipality, Person
from forum.tasks import deliver_held_login
from ssp.models import AuditAction, AuditEvent, Sector, User
from tests.factories import UserFactory
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def _glostrup() -> Municipality:
    return Municipality.objects.get(code="161")


def _seated_and_held(email: str, body: Body, *, by: User) -> Person:
    """As the spreadsheet import leaves a team member: in the directory, seated, login held."""
    person = services.person_create(
        municipality=_glostrup(), full_name="Tove Teammedlem", sector=Sector.SCHOOL, email=email
    )
    services.membership_add(body=body, person=person, role="member", by=None)
    logins.login_hold(person=person, by=by)
    return person


def test_a_team_member_whose_login_is_sent_joins_the_teams_group_and_the_seat_is_logged(
    personas: Personas, django_capture_on_commit_callbacks
) -> None:
    team = Body.objects.get(name="SSP-team Vestervang")
    person = _seated_and_held("tove@test.ssp", team, by=personas.admin)

    with django_capture_on_commit_callbacks(execute=True):
        logins.held_logins_send(municipality=_glostrup(), by=personas.admin)
    for pk in HeldLogin.objects.values_list("pk", flat=True):
        deliver_held_login(pk)

    user = User.objects.get(email="tove@test.ssp")
    assert Person.objects.get(pk=person.pk).user == user
    assert team.group.user_set.filter(pk=user.pk).exists(), "the seat gave no group membership"
    assert AuditEvent.objects.filter(
        action=AuditAction.GRANT, user_id=personas.admin.pk, object_type="forum.membership"
    ).exists()


def test_an_administrator_cannot_link_themselves_into_a_case_reading_body(
    personas: Personas, django_capture_on_commit_callbacks
) -> None:
    """The administrator imports a row with their own email and a seat in the §115 group; the
    login, when sent, would link their own account into the seat."""
    admin = UserFactory(email="selv@test.ssp", full_name="Selma Selv")
    services.affiliation_set(
        user=admin, municipality=_glostrup(), is_administrator=True, by=personas.admin
    )
    monday_group = Body.objects.get(municipality=_glostrup(), kind=BodyKind.GROUP_115)
    person = _seated_and_held("selv@test.ssp", monday_group, by=admin)

    with django_capture_on_commit_callbacks(execute=True):
        logins.held_logins_send(municipality=_glostrup(), by=admin)
    for pk in HeldLogin.objects.values_list("pk", flat=True):
        deliver_held_login(pk)

    held = HeldLogin.objects.get(person=person)
    assert "Du kan ikke give dig selv en plads" in held.refusal
    assert Person.objects.get(pk=person.pk).user is None
    assert not monday_group.group.user_set.filter(pk=admin.pk).exists()
