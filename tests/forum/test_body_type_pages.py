"""The administrators keep their municipality's body types on the organisation page
(`forum.bodytype_views`): a new type, a type edited, and what the service refuses shown with
the input kept. A type stops handling cases only while none of its bodies is responsible for
a case (`forum.access.bodies_responsible_for_cases`, answered by the cases app)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from forum import bodytypes, services
from forum.models import BodyKind, BodyType, Municipality
from forum.presets import TypeSpec
from tests.factories import CaseFactory
from tests.forum.service_helpers import field_errors

pytestmark = pytest.mark.django_db

K = BodyKind


def _glostrup() -> Municipality:
    return Municipality.objects.get(code="161")


def _types_url(municipality: Municipality) -> str:
    return f"/organisation/kommune/{municipality.pk}/organtyper/"


def test_the_administrator_adds_a_type_and_finds_it_on_the_organisation_page(
    admin_client: Client,
) -> None:
    glostrup = _glostrup()

    response = admin_client.post(
        f"{_types_url(glostrup)}ny/",
        {
            "name": "Lokal Følgegruppe Nord",
            "kind": K.FOELGEGRUPPE,
            "description": "Følger arbejdet i bydelen.",
            "meeting_rhythm": "Fire møder om året",
            "max_per_municipality": "",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == f"{glostrup.get_absolute_url()}#organtyper"
    made = BodyType.objects.get(municipality=glostrup, name="Lokal Følgegruppe Nord")
    assert (made.kind, made.meeting_rhythm, made.max_per_municipality) == (
        K.FOELGEGRUPPE,
        "Fire møder om året",
        None,
    )
    page = admin_client.get(glostrup.get_absolute_url()).content.decode()
    assert "Organtypen Lokal Følgegruppe Nord er oprettet." in page
    assert f'href="{_types_url(glostrup)}{made.pk}/rediger/"' in page


def test_the_form_offers_neither_the_police_districts_council_nor_ad_hoc_groups(
    admin_client: Client,
) -> None:
    page = admin_client.get(f"{_types_url(_glostrup())}ny/").content.decode()

    assert 'value="working_group"' in page
    assert 'value="kredsraad"' not in page
    assert 'value="ad_hoc"' not in page


def test_the_administrator_renames_a_type_and_its_bodies_keep_it(admin_client: Client) -> None:
    glostrup = _glostrup()
    body_type = BodyType.objects.get(municipality=glostrup, kind=K.SCHOOL_TEAM)
    bodies = set(body_type.bodies.values_list("pk", flat=True))

    response = admin_client.post(
        f"{_types_url(glostrup)}{body_type.pk}/rediger/",
        {"name": "Skolens SSP-gruppe", "kind": K.SCHOOL_TEAM, "meeting_rhythm": "Hver måned"},
    )

    assert response.status_code == 302
    body_type.refresh_from_db()
    assert (body_type.name, body_type.meeting_rhythm) == ("Skolens SSP-gruppe", "Hver måned")
    assert set(body_type.bodies.values_list("pk", flat=True)) == bodies != set()


def test_a_type_with_bodies_keeps_its_kind_and_the_input_is_kept(admin_client: Client) -> None:
    glostrup = _glostrup()
    body_type = BodyType.objects.get(municipality=glostrup, kind=K.SCHOOL_TEAM)

    response = admin_client.post(
        f"{_types_url(glostrup)}{body_type.pk}/rediger/",
        {"name": "Skoleteam (nyt navn)", "kind": K.WORKING_GROUP},
    )

    page = response.content.decode()
    assert response.status_code == 422
    assert "Typen har allerede organer og kan ikke skifte, hvad den fungerer som." in page
    assert 'value="Skoleteam (nyt navn)"' in page
    body_type.refresh_from_db()
    assert (body_type.name, body_type.kind) == ("Skolens SSP-team", K.SCHOOL_TEAM)


def test_a_second_type_of_the_same_name_is_refused(admin_client: Client) -> None:
    response = admin_client.post(
        f"{_types_url(_glostrup())}ny/", {"name": "infohus", "kind": K.INFOHUS}
    )

    assert response.status_code == 422
    assert "Kommunen har allerede en organtype med det navn." in response.content.decode()
    assert BodyType.objects.filter(municipality=_glostrup(), name__iexact="infohus").count() == 1


def test_another_municipalitys_type_is_not_found_under_ones_own(admin_client: Client) -> None:
    """The administrator of Glostrup and Albertslund asks for Albertslund's type under
    Glostrup's address: not there (and never editable through it)."""
    albertslund_type = BodyType.objects.filter(municipality__code="165").first()
    assert albertslund_type is not None

    response = admin_client.post(
        f"{_types_url(_glostrup())}{albertslund_type.pk}/rediger/",
        {"name": "Overtaget", "kind": albertslund_type.kind},
    )

    assert response.status_code == 404
    albertslund_type.refresh_from_db()
    assert albertslund_type.name != "Overtaget"


def test_a_type_whose_body_is_responsible_for_a_case_keeps_handling_cases() -> None:
    glostrup = _glostrup()
    infohus_type = bodytypes.body_type_create(
        municipality=glostrup,
        spec=TypeSpec(name="Sagsinfohus", kind=K.INFOHUS, may_handle_cases=True),
    )
    forum_body = services.body_create(
        municipality=glostrup, name="Infohus Syd", body_type=infohus_type
    )
    CaseFactory(municipality=glostrup, responsible_body=forum_body)

    with pytest.raises(ValidationError) as excinfo:
        bodytypes.body_type_update(body_type=infohus_type, may_handle_cases=False)

    assert field_errors(excinfo, "may_handle_cases") == [
        "Organer af typen er ansvarlige for sager og skal kunne behandle sager, til sagerne er "
        "flyttet eller lukket og slettet."
    ]
    assert BodyType.objects.get(pk=infohus_type.pk).may_handle_cases is True


def test_a_type_whose_bodies_hold_no_case_may_stop_handling_cases() -> None:
    glostrup = _glostrup()
    infohus_type = bodytypes.body_type_create(
        municipality=glostrup,
        spec=TypeSpec(name="Sagsinfohus", kind=K.INFOHUS, may_handle_cases=True),
    )
    services.body_create(municipality=glostrup, name="Infohus Syd", body_type=infohus_type)

    bodytypes.body_type_update(body_type=infohus_type, may_handle_cases=False)

    assert BodyType.objects.get(pk=infohus_type.pk).may_handle_cases is False
