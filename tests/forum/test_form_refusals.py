"""The organisation's create and edit pages refuse bad input: the page answers 422 with
the errors next to the fields and the input kept, and nothing is saved.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from forum.models import Body, Membership, MembershipRole, Municipality, Person, Unit
from ssp.models import User
from tests.forum.page_helpers import (
    assert_refused,
    body_type_pk,
    breadcrumb,
    error_summary,
    field_error,
    form_values,
    invalid_fields,
    page_text,
)

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


def test_creating_a_body_without_a_name_is_refused_and_keeps_the_input(
    admin_client: Client,
) -> None:
    forum = _body("SSP-Forum Glostrup")
    bodies, groups = Body.objects.count(), Group.objects.count()

    response = admin_client.post(
        reverse("forum:body_create", args=[_glostrup().pk]),
        {
            "body_type": body_type_pk("working_group"),
            "name": "",
            "parent": forum.pk,
            "purpose": "Planlægger sommerens aktiviteter.",
            "meeting_rhythm": "Hver torsdag",
        },
    )

    assert_refused(response, "id_name", "Navn", "Dette felt er påkrævet.")
    values = form_values(response)
    assert values["id_body_type"] == str(body_type_pk("working_group"))
    assert values["id_parent"] == str(forum.pk)
    assert values["id_purpose"] == "Planlægger sommerens aktiviteter."
    assert values["id_meeting_rhythm"] == "Hver torsdag"
    assert (Body.objects.count(), Group.objects.count()) == (bodies, groups)


def test_a_school_team_without_its_school_is_refused_by_the_service(
    admin_client: Client,
) -> None:
    bodies, groups = Body.objects.count(), Group.objects.count()

    response = admin_client.post(
        reverse("forum:body_create", args=[_glostrup().pk]),
        {
            "body_type": body_type_pk("school_team"),
            "name": "SSP-team Nyskolen",
            "parent": _body("SSP-Forum Glostrup").pk,
        },
    )

    assert_refused(
        response,
        "id_unit",
        "Skole/afdeling",
        "Vælg den skole eller skoleafdeling, SSP-teamet hører til.",
    )
    assert form_values(response)["id_name"] == "SSP-team Nyskolen"
    assert (Body.objects.count(), Group.objects.count()) == (bodies, groups)


def test_editing_a_body_under_a_parent_of_the_wrong_kind_is_refused_and_saves_nothing(
    admin_client: Client,
) -> None:
    body = _body("Aktivitetsgruppen")
    forum = body.parent
    lokalraad = _body("Lokalrådet i Glostrup")

    response = admin_client.post(
        reverse("forum:body_edit", args=[body.pk]),
        {
            "body_type": body_type_pk("working_group"),
            "name": "Aktivitetsgruppen 2.0",
            "parent": lokalraad.pk,
        },
    )

    assert_refused(
        response, "id_parent", "Hører under", "Arbejdsgruppe kan ikke høre under Lokalråd."
    )
    values = form_values(response)
    assert values["id_name"] == "Aktivitetsgruppen 2.0"
    assert values["id_parent"] == str(lokalraad.pk)
    # The breadcrumb names the body as saved, not as typed into the refused form.
    assert breadcrumb(response, body) == "Aktivitetsgruppen"
    body.refresh_from_db()
    assert (body.name, body.parent_id) == ("Aktivitetsgruppen", forum.pk)


def test_creating_a_unit_with_malformed_contact_details_is_refused_and_keeps_the_input(
    admin_client: Client,
) -> None:
    units = Unit.objects.count()

    response = admin_client.post(
        reverse("forum:unit_create", args=[_glostrup().pk]),
        {
            "name": "Ungdomsklubben Nord",
            "sector": "leisure",
            "phone": "ring til mig",
            "email": "nord@",
            "website": "ikke en adresse",
            "description": "Åben mandag til torsdag.",
        },
    )

    assert response.status_code == 422
    assert error_summary(response) == [
        "Telefon: Skriv et telefonnummer med 8 cifre, eventuelt med landekode, fx +45 43 23 60 00.",
        "E-mail: Indtast en gyldig e-mail-adresse.",
        "Hjemmeside: Indtast en gyldig URL.",
    ]
    assert invalid_fields(response) == {"id_phone", "id_email", "id_website"}
    values = form_values(response)
    assert values["id_name"] == "Ungdomsklubben Nord"
    assert values["id_sector"] == "leisure"
    assert values["id_phone"] == "ring til mig"
    assert values["id_email"] == "nord@"
    assert values["id_website"] == "ikke en adresse"
    assert values["id_description"] == "Åben mandag til torsdag."
    assert Unit.objects.count() == units


def test_renaming_a_unit_to_a_name_already_taken_is_refused_and_saves_nothing(
    admin_client: Client,
) -> None:
    unit = _unit("Natteravnene")

    response = admin_client.post(
        reverse("forum:unit_edit", args=[unit.pk]),
        {"name": "varmeværket", "sector": "other", "phone": "+45 20 00 00 02"},
    )

    assert_refused(response, "id_name", "Navn", "Kommunen har allerede en enhed med det navn.")
    assert form_values(response)["id_name"] == "varmeværket"
    assert form_values(response)["id_phone"] == "+45 20 00 00 02"
    # The form accepted the name before the service refused it; the page still names the
    # unit being edited, not the one it clashed with.
    assert breadcrumb(response, unit) == "Natteravnene"
    unit.refresh_from_db()
    assert (unit.name, unit.phone) == ("Natteravnene", "")


def test_creating_a_person_with_an_unknown_sector_and_a_short_phone_is_refused(
    admin_client: Client,
) -> None:
    people = Person.objects.count()

    response = admin_client.post(
        reverse("forum:person_create", args=[_glostrup().pk]),
        {
            "full_name": "Mette Mikkelsen",
            "job_title": "Gadeplansmedarbejder",
            "sector": "bogus",
            "unit": _unit("Klubberne").pk,
            "phone": "12",
        },
    )

    assert response.status_code == 422
    assert error_summary(response) == [
        "Sektor: Marker en gyldig valgmulighed. bogus er ikke en af de tilgængelige "
        "valgmuligheder.",
        "Arbejdstelefon: Skriv et telefonnummer med 8 cifre, eventuelt med landekode, "
        "fx +45 43 23 60 00.",
    ]
    values = form_values(response)
    assert values["id_full_name"] == "Mette Mikkelsen"
    assert values["id_job_title"] == "Gadeplansmedarbejder"
    assert values["id_unit"] == str(_unit("Klubberne").pk)
    assert values["id_phone"] == "12"
    assert Person.objects.count() == people


def test_a_refused_field_shows_its_error_and_its_hint_next_to_it(admin_client: Client) -> None:
    response = admin_client.post(
        reverse("forum:body_create", args=[_glostrup().pk]),
        {
            "body_type": body_type_pk("working_group"),
            "name": "",
            "parent": _body("SSP-Forum Glostrup").pk,
        },
    )

    assert response.status_code == 422
    assert field_error(response, "id_name") == "Dette felt er påkrævet."
    assert 'id="id_meeting_rhythm_helptext"' in page_text(response)


def test_a_person_with_a_login_but_no_work_email_is_refused_and_no_user_is_created(
    admin_client: Client,
) -> None:
    people, users = Person.objects.count(), User.objects.count()

    response = admin_client.post(
        reverse("forum:person_create", args=[_glostrup().pk]),
        {"full_name": "Mette Mikkelsen", "sector": "leisure", "with_login": "on"},
    )

    assert_refused(
        response, "id_email", "Arbejdsmail", "En person med login skal have en arbejdsmail."
    )
    assert form_values(response)["id_with_login"] is True
    assert (Person.objects.count(), User.objects.count()) == (people, users)


def test_editing_a_person_without_a_name_is_refused_and_keeps_the_other_input(
    admin_client: Client,
) -> None:
    person = _person("Jens Juhl")

    response = admin_client.post(
        reverse("forum:person_edit", args=[person.pk]),
        {"full_name": "", "sector": "other", "job_title": "Frivillig koordinator"},
    )

    assert_refused(response, "id_full_name", "Navn", "Dette felt er påkrævet.")
    assert form_values(response)["id_job_title"] == "Frivillig koordinator"
    assert breadcrumb(response, person) == "Jens Juhl"
    person.refresh_from_db()
    assert (person.full_name, person.job_title) == ("Jens Juhl", "Koordinator")


def test_adding_someone_who_is_already_a_member_is_refused_and_keeps_the_chosen_role(
    admin_client: Client,
) -> None:
    body = _body("SSP-team Søndervang")
    memberships = Membership.objects.count()

    response = admin_client.post(
        reverse("forum:membership_add", args=[body.pk]),
        {"person": _person("Gitte Gram").pk, "role": "guest"},
    )

    assert_refused(
        response,
        "id_person",
        "Person",
        "Vælg en person fra listen. Personen er måske allerede medlem.",
    )
    assert "<html" in page_text(response), "a refused form without htmx gets the whole body page"
    assert form_values(response)["id_role"] == "guest"
    assert Membership.objects.count() == memberships


def test_htmx_adding_a_member_who_is_refused_answers_the_members_partial_with_the_errors(
    admin_client: Client,
) -> None:
    body = _body("SSP-team Søndervang")
    memberships = Membership.objects.count()

    response = admin_client.post(
        reverse("forum:membership_add", args=[body.pk]),
        {"person": "999999", "role": "coordinator"},
        headers=HTMX,
    )

    # htmx swaps only 2xx answers, so the refused inline form comes back as 200.
    assert response.status_code == 200
    assert "<html" not in page_text(response)
    assert "Person: Vælg en person fra listen. Personen er måske allerede medlem." in (
        error_summary(response)
    )
    assert form_values(response)["id_role"] == "coordinator"
    assert Membership.objects.count() == memberships


def test_choosing_an_unknown_role_is_refused_with_a_message_and_changes_nothing(
    admin_client: Client,
) -> None:
    membership = Membership.objects.get(
        body__name="SSP-team Søndervang", person__full_name="Gitte Gram"
    )
    body = membership.body

    response = admin_client.post(
        reverse("forum:membership_role", args=[body.pk, membership.pk]), {"role": "king"}
    )

    # The role select offers only valid roles, so this answers like the other inline
    # actions: back to the body, where the message says what went wrong.
    assert response.status_code == 302
    assert response["Location"] == reverse("forum:body_detail", args=[body.pk])
    assert "Vælg en gyldig rolle." in page_text(admin_client.get(response["Location"]))
    membership.refresh_from_db()
    assert membership.role == MembershipRole.MEMBER


def test_htmx_choosing_an_unknown_role_answers_the_members_partial_with_the_message(
    admin_client: Client,
) -> None:
    membership = Membership.objects.get(
        body__name="SSP-team Søndervang", person__full_name="Gitte Gram"
    )

    response = admin_client.post(
        reverse("forum:membership_role", args=[membership.body_id, membership.pk]),
        {"role": "king"},
        headers=HTMX,
    )

    assert response.status_code == 200
    assert "<html" not in page_text(response)
    assert '<p class="alert-text">Vælg en gyldig rolle.</p>' in page_text(response)
    membership.refresh_from_db()
    assert membership.role == MembershipRole.MEMBER
