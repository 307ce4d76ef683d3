"""The organisation's create and edit pages accept good input: they redirect to what was
saved (or, for HTMX, answer the members partial) and save exactly the submitted values.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from forum.models import Body, BodyKind, Membership, MembershipRole, Municipality, Person, Unit
from ssp.models import Sector, User
from tests.forum.page_helpers import body_type_pk, page_text

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def _glostrup() -> Municipality:
    return Municipality.objects.get(code="161")


def _body(name: str) -> Body:
    return Body.objects.get(name=name)


def _unit(name: str) -> Unit:
    return Unit.objects.get(name=name)


def _person(name: str, code: str = "161") -> Person:
    return Person.objects.get(full_name=name, municipality__code=code)


def test_creating_a_body_redirects_to_it_and_saves_the_submitted_values(
    admin_client: Client,
) -> None:
    forum = _body("SSP-Forum Glostrup")

    response = admin_client.post(
        reverse("forum:body_create", args=[_glostrup().pk]),
        {
            "body_type": body_type_pk("working_group"),
            "name": "Sommergruppen",
            "parent": forum.pk,
            "purpose": "Planlægger sommerens aktiviteter.",
            "meeting_rhythm": "Hver torsdag",
        },
    )

    body = Body.objects.get(name="Sommergruppen")
    assert response.status_code == 302
    assert response["Location"] == reverse("forum:body_detail", args=[body.pk])
    assert body.kind == BodyKind.WORKING_GROUP
    assert body.municipality == _glostrup()
    assert body.parent == forum
    assert body.purpose == "Planlægger sommerens aktiviteter."
    assert body.meeting_rhythm == "Hver torsdag"
    assert body.group.name == f"body:{body.pk}"


def test_editing_a_body_redirects_to_it_and_saves_the_changes(admin_client: Client) -> None:
    body = _body("Aktivitetsgruppen")

    response = admin_client.post(
        reverse("forum:body_edit", args=[body.pk]),
        {
            "body_type": body_type_pk("working_group"),
            "name": "Aktivitets- og eventgruppen",
            "parent": body.parent_id,
            "meeting_rhythm": "Hver anden måned",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("forum:body_detail", args=[body.pk])
    body.refresh_from_db()
    assert body.name == "Aktivitets- og eventgruppen"
    assert body.meeting_rhythm == "Hver anden måned"


def test_creating_a_unit_redirects_to_it_and_saves_the_submitted_values(
    admin_client: Client,
) -> None:
    parent = _unit("Klubberne")

    response = admin_client.post(
        reverse("forum:unit_create", args=[_glostrup().pk]),
        {
            "name": "Ungdomsklubben Nord",
            "sector": "leisure",
            "parent": parent.pk,
            "phone": "+45 43 23 61 20",
            "email": "nord@demo.ssp",
            "website": "klubnord.dk",
        },
    )

    unit = Unit.objects.get(name="Ungdomsklubben Nord")
    assert response.status_code == 302
    assert response["Location"] == reverse("forum:unit_detail", args=[unit.pk])
    assert unit.municipality == _glostrup()
    assert unit.sector == Sector.LEISURE
    assert unit.parent == parent
    assert (unit.phone, unit.email) == ("+45 43 23 61 20", "nord@demo.ssp")
    assert unit.website == "https://klubnord.dk"


def test_editing_a_unit_redirects_to_it_and_saves_the_changes(admin_client: Client) -> None:
    unit = _unit("Natteravnene")

    response = admin_client.post(
        reverse("forum:unit_edit", args=[unit.pk]),
        {"name": "Natteravnene Glostrup", "sector": "other", "address": "Hovedvejen 1"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("forum:unit_detail", args=[unit.pk])
    unit.refresh_from_db()
    assert (unit.name, unit.address) == ("Natteravnene Glostrup", "Hovedvejen 1")


def test_creating_a_person_redirects_to_them_and_saves_the_submitted_values(
    admin_client: Client,
) -> None:
    users = User.objects.count()

    response = admin_client.post(
        reverse("forum:person_create", args=[_glostrup().pk]),
        {
            "full_name": "Mette Mikkelsen",
            "job_title": "Gadeplansmedarbejder",
            "sector": "leisure",
            "unit": _unit("Klubberne").pk,
            "email": "Mette.Mikkelsen@demo.ssp",
            "phone": "+45 43 23 61 11",
        },
    )

    person = Person.objects.get(full_name="Mette Mikkelsen")
    assert response.status_code == 302
    assert response["Location"] == reverse("forum:person_detail", args=[person.pk])
    assert person.municipality == _glostrup()
    assert (person.job_title, person.sector) == ("Gadeplansmedarbejder", Sector.LEISURE)
    assert person.unit == _unit("Klubberne")
    assert (person.email, person.phone) == ("mette.mikkelsen@demo.ssp", "+45 43 23 61 11")
    assert person.user is None
    assert User.objects.count() == users


def test_editing_a_person_redirects_to_them_and_saves_the_changes(admin_client: Client) -> None:
    person = _person("Jens Juhl")

    response = admin_client.post(
        reverse("forum:person_edit", args=[person.pk]),
        {"full_name": "Jens Juhl", "sector": "other", "job_title": "Frivillig koordinator"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("forum:person_detail", args=[person.pk])
    person.refresh_from_db()
    assert person.job_title == "Frivillig koordinator"


def test_adding_a_member_redirects_to_the_body_and_saves_the_role(admin_client: Client) -> None:
    body = _body("SSP-team Søndervang")
    person = _person("Henrik Holm")

    response = admin_client.post(
        reverse("forum:membership_add", args=[body.pk]),
        {"person": person.pk, "role": "coordinator"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("forum:body_detail", args=[body.pk])
    assert Membership.objects.get(body=body, person=person).role == MembershipRole.COORDINATOR


def test_htmx_adding_a_member_answers_the_members_partial_listing_them(
    admin_client: Client,
) -> None:
    body = _body("SSP-team Søndervang")
    person = _person("Henrik Holm")

    response = admin_client.post(
        reverse("forum:membership_add", args=[body.pk]),
        {"person": person.pk, "role": "guest"},
        headers=HTMX,
    )

    assert response.status_code == 200
    page = page_text(response)
    assert "<html" not in page
    assert "Henrik Holm er tilføjet som medlem." in page
    assert f'<a href="{person.get_absolute_url()}">Henrik Holm</a>' in page
    assert Membership.objects.get(body=body, person=person).role == MembershipRole.GUEST


def test_changing_a_role_redirects_to_the_body_and_saves_it(admin_client: Client) -> None:
    membership = Membership.objects.get(
        body__name="SSP-team Søndervang", person__full_name="Gitte Gram"
    )

    response = admin_client.post(
        reverse("forum:membership_role", args=[membership.body_id, membership.pk]),
        {"role": "coordinator"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("forum:body_detail", args=[membership.body_id])
    membership.refresh_from_db()
    assert membership.role == MembershipRole.COORDINATOR
