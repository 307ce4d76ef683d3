"""A seat's history: joined, role changed, left, old → new, by whom; on the body's page and
the person's page, in the reader's language, and only for bodies the reader may see."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from forum import services
from forum.models import Body, MembershipChange, MembershipRole, Person
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def _page(client: Client, user, url: str, language: str = "da") -> str:  # type: ignore[no-untyped-def]
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == 200, f"{user} got {response.status_code} on {url}"
    return response.content.decode()


def _seat_history(personas: Personas) -> tuple[Body, Person]:
    body = Body.objects.get(name="Aktivitetsgruppen")
    person = Person.objects.get(full_name="Lars Lund", municipality__code="161")
    membership = services.membership_add(
        body=body, person=person, role=MembershipRole.MEMBER, by=personas.admin
    )
    services.membership_change_role(
        membership=membership, role=MembershipRole.COORDINATOR, by=personas.admin
    )
    services.membership_remove(membership=membership, by=personas.admin)
    return body, person


def test_joining_changing_role_and_leaving_are_recorded_old_to_new(personas: Personas) -> None:
    body, person = _seat_history(personas)

    rows = list(
        MembershipChange.objects.filter(body=body, person=person)
        .order_by("at", "id")
        .values_list("old_role", "new_role", "by")
    )

    assert rows == [
        ("", "member", personas.admin.pk),
        ("member", "coordinator", personas.admin.pk),
        ("coordinator", "", personas.admin.pk),
    ]


def test_an_unchanged_role_writes_no_history(personas: Personas) -> None:
    body = Body.objects.get(name="Aktivitetsgruppen")
    membership = body.memberships.first()
    before = MembershipChange.objects.count()

    services.membership_change_role(membership=membership, role=membership.role, by=None)

    assert MembershipChange.objects.count() == before


def test_the_body_and_person_pages_show_the_history_in_danish_and_english(
    client: Client, personas: Personas
) -> None:
    body, person = _seat_history(personas)

    body_page = _page(client, personas.consultant, body.get_absolute_url())
    person_page = _page(client, personas.consultant, person.get_absolute_url())
    english = _page(client, personas.consultant, body.get_absolute_url(), "en")

    for page in (body_page, person_page):
        assert "– → Medlem" in page
        assert "Medlem → Tovholder" in page
        assert "Tovholder → –" in page
    assert "Lars Lund: Member → Coordinator" in english


def test_a_person_page_never_tells_of_a_body_its_reader_may_not_see(
    client: Client, personas: Personas
) -> None:
    """The neighbour works in Albertslund only: neither the Glostrup body nor its member's
    page, nor the seat history on them, reaches them."""
    body, person = _seat_history(personas)
    client.force_login(personas.neighbour)

    body_response = client.get(body.get_absolute_url())
    person_response = client.get(person.get_absolute_url())

    assert body_response.status_code == 404, "the neighbour sees a Glostrup body"
    assert person_response.status_code == 404, "the neighbour sees a Glostrup person"
    assert "Tovholder → –" not in person_response.content.decode(), "a hidden body's history"


def test_the_history_goes_with_the_body(personas: Personas) -> None:
    body, person = _seat_history(personas)
    group = services.body_create(
        kind=body.kind, name="Kortvarig gruppe", municipality=body.municipality, parent=body.parent
    )
    services.membership_add(body=group, person=person, by=personas.admin)
    assert MembershipChange.objects.filter(body=group).count() == 1

    services.membership_remove(membership=group.memberships.get(), by=personas.admin)
    services.body_delete(body=group)

    assert not MembershipChange.objects.filter(body_id=group.pk).exists()
