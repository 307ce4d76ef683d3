"""A body's chair keeps its members current (forum/delegation.py): people of the
municipality's directory and new external contacts in, roles within what a chair may give,
seats out; never in another body, never the chair seat, and through the same services as an
administrator, so a seat where members read cases is logged as a GRANT and mailed."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from forum import delegation, permissions, services
from forum.models import Body, BodyKind, Membership, MembershipRole, Person
from ssp.models import AuditAction, AuditEvent, OutgoingEmail
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def _body(name: str) -> Body:
    return Body.objects.get(name=name)


def _person(name: str, code: str = "161") -> Person:
    return Person.objects.get(full_name=name, municipality__code=code)


def _seat(body: str, person: str) -> Membership:
    return Membership.objects.get(body__name=body, person__full_name=person)


def _events(action: AuditAction, object_type: str = "forum.membership") -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action, object_type=object_type))


def test_chair_seats_a_person_of_the_directory_and_it_is_logged(personas: Personas) -> None:
    """Henrik Holm has no login: the seat reads nothing, so it is no GRANT and mails no one;
    the chair's change is in the log all the same."""
    mails_before = OutgoingEmail.objects.count()

    membership = delegation.chair_membership_add(
        body=_body("SSP-team Vestervang"),
        person=_person("Henrik Holm"),
        role=MembershipRole.MEMBER,
        by=personas.leader,
    )

    assert membership.role == MembershipRole.MEMBER
    created = AuditEvent.objects.get(action=AuditAction.CREATE, object_id=str(membership.pk))
    assert created.user_id == personas.leader.pk
    assert "Formanden satte Henrik Holm ind som Medlem" in created.purpose
    assert created.municipality_id == membership.body.municipality_id
    assert not AuditEvent.objects.filter(action=AuditAction.GRANT, object_id=str(membership.pk))
    assert OutgoingEmail.objects.count() == mails_before


def test_chair_seat_for_a_login_is_mailed_to_the_consultants(personas: Personas) -> None:
    club = Person.objects.get(user=personas.club, municipality__code="161")
    body = _body("SSP-team Vestervang")
    Membership.objects.filter(body=body, person=club).delete()
    before = OutgoingEmail.objects.count()

    membership = delegation.chair_membership_add(
        body=body, person=club, role=MembershipRole.GUEST, by=personas.leader
    )

    assert AuditEvent.objects.filter(
        action=AuditAction.GRANT, object_id=str(membership.pk), user_id=personas.leader.pk
    ).exists()
    assert OutgoingEmail.objects.count() > before, "the consultants were not told of the seat"


def test_chair_cannot_maintain_another_body(personas: Personas) -> None:
    with pytest.raises(PermissionDenied):
        delegation.chair_membership_add(
            body=_body("SSP-team Søndervang"),
            person=_person("Henrik Holm"),
            role=MembershipRole.MEMBER,
            by=personas.leader,
        )
    with pytest.raises(PermissionDenied):
        delegation.chair_membership_remove(
            membership=_seat("SSP-team Søndervang", "Gitte Gram"), by=personas.leader
        )
    assert _seat("SSP-team Søndervang", "Gitte Gram")


def test_chair_cannot_seat_someone_of_another_municipality(personas: Personas) -> None:
    with pytest.raises(ValidationError) as refusal:
        delegation.chair_membership_add(
            body=_body("SSP-team Vestervang"),
            person=_person("Ole Olsen", "165"),
            role=MembershipRole.MEMBER,
            by=personas.leader,
        )
    assert "person" in refusal.value.message_dict


@pytest.mark.parametrize("role", [MembershipRole.CHAIR, MembershipRole.COORDINATOR])
def test_chair_cannot_give_a_lead_role_where_members_read_cases(
    personas: Personas, role: str
) -> None:
    with pytest.raises(ValidationError) as refusal:
        delegation.chair_membership_change_role(
            membership=_seat("SSP-team Vestervang", "Kasper Krog"), role=role, by=personas.leader
        )
    assert "administrator" in refusal.value.message_dict["role"][0]
    assert _seat("SSP-team Vestervang", "Kasper Krog").role == MembershipRole.MEMBER


def test_chair_gives_coordinator_where_members_do_not_read_cases(personas: Personas) -> None:
    """The Aktivitetsgruppen reads no cases: its chair may name a tovholder."""
    body = _body("Aktivitetsgruppen")
    services.membership_add(
        body=body, person=Person.objects.get(user=personas.leader), role="chair", by=None
    )

    changed = delegation.chair_membership_change_role(
        membership=_seat("Aktivitetsgruppen", "Kasper Krog"),
        role=MembershipRole.COORDINATOR,
        by=personas.leader,
    )

    assert changed.role == MembershipRole.COORDINATOR
    assert _events(AuditAction.UPDATE)[-1].user_id == personas.leader.pk


def test_chair_cannot_end_or_change_the_chair_seat(personas: Personas) -> None:
    own = _seat("SSP-team Vestervang", "Lars Lund")
    with pytest.raises(ValidationError):
        delegation.chair_membership_remove(membership=own, by=personas.leader)
    with pytest.raises(ValidationError):
        delegation.chair_membership_change_role(
            membership=own, role=MembershipRole.MEMBER, by=personas.leader
        )
    assert _seat("SSP-team Vestervang", "Lars Lund").role == MembershipRole.CHAIR


def test_chair_ends_a_seat_and_it_is_logged(personas: Personas) -> None:
    seat = _seat("SSP-team Vestervang", "Gitte Gram")
    seat_id = seat.pk

    delegation.chair_membership_remove(membership=seat, by=personas.leader)

    assert not Membership.objects.filter(pk=seat_id).exists()
    event = AuditEvent.objects.get(action=AuditAction.DELETE, object_id=str(seat_id))
    assert event.user_id == personas.leader.pk
    assert "Gitte Gram" in event.purpose


def test_chair_adds_a_new_external_contact_without_login(personas: Personas) -> None:
    membership = delegation.chair_person_add(
        body=_body("SSP-team Vestervang"),
        by=personas.leader,
        full_name="Vicevært Vagn",
        sector="other",
        job_title="Vicevært",
        phone="+45 12 34 56 78",
    )

    person = membership.person
    assert person.municipality.code == "161"
    assert person.user_id is None
    assert person.private_phone == ""
    assert person.private_address == ""
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_type="forum.person", object_id=str(person.pk)
    ).exists()


def test_no_chair_of_an_adhoc_group_or_a_kredsraad(personas: Personas) -> None:
    adhoc = Body.objects.get(kind=BodyKind.AD_HOC)
    seat = adhoc.memberships.select_related("person").first()
    seat.role = MembershipRole.CHAIR
    seat.save(update_fields=["role"])
    assert seat.person.user_id is not None

    assert not permissions.chairs_body(seat.person.user, adhoc)


def test_chair_page_offers_only_the_roles_a_chair_may_give(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.leader)

    page = client.get(f"/organisation/organ/{_body('SSP-team Vestervang').pk}/")

    html = page.content.decode()
    assert page.status_code == 200
    assert 'name="person"' in html, "the chair is not offered the add form"
    assert "ny-kontaktperson" in html
    add_form = html[html.index('id="id_role"') :]
    add_form = add_form[: add_form.index("</select>")]
    assert 'value="chair"' not in add_form
    assert 'value="coordinator"' not in add_form


def test_chair_refused_role_shows_a_danish_message(client: Client, personas: Personas) -> None:
    client.force_login(personas.leader)
    seat = _seat("SSP-team Vestervang", "Kasper Krog")

    response = client.post(
        f"/organisation/organ/{seat.body_id}/medlemmer/{seat.pk}/rolle/",
        {"role": "chair"},
        follow=True,
    )

    assert response.status_code == 200
    assert "administrator" in response.content.decode()
    assert _seat("SSP-team Vestervang", "Kasper Krog").role == MembershipRole.MEMBER


def test_leak_chair_of_one_body_cannot_reach_another_bodys_members(
    client: Client, personas: Personas
) -> None:
    """The leader chairs Vestervang. Albertslund's team is invisible (404); a seat of another
    body through Vestervang's URL is no seat of Vestervang (404); Søndervang is visible but not
    theirs (403). Nothing changes."""
    client.force_login(personas.leader)
    vestervang = _body("SSP-team Vestervang")
    foreign = _seat("SSP-team Herstedvester", "Rikke Rasmussen")
    sister = _seat("SSP-team Søndervang", "Gitte Gram")

    answers = {
        "other municipality page": client.get(
            f"/organisation/organ/{foreign.body_id}/medlemmer/ny-kontaktperson/"
        ).status_code,
        "other municipality remove": client.post(
            f"/organisation/organ/{foreign.body_id}/medlemmer/{foreign.pk}/fjern/"
        ).status_code,
        "foreign seat through own body": client.post(
            f"/organisation/organ/{vestervang.pk}/medlemmer/{foreign.pk}/fjern/"
        ).status_code,
        "sister seat through own body": client.post(
            f"/organisation/organ/{vestervang.pk}/medlemmer/{sister.pk}/rolle/", {"role": "guest"}
        ).status_code,
        "sister body remove": client.post(
            f"/organisation/organ/{sister.body_id}/medlemmer/{sister.pk}/fjern/"
        ).status_code,
    }

    assert answers == {
        "other municipality page": 404,
        "other municipality remove": 404,
        "foreign seat through own body": 404,
        "sister seat through own body": 404,
        "sister body remove": 403,
    }, f"a chair reached another body's members: {answers}"
    assert Membership.objects.filter(pk__in=[foreign.pk, sister.pk]).count() == 2
    assert _seat("SSP-team Søndervang", "Gitte Gram").role == MembershipRole.MEMBER
    page = client.get(f"/organisation/organ/{foreign.body_id}/")
    assert page.status_code == 404
