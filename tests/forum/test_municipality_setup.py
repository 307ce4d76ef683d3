"""The platform operator's first-run set-up of a new municipality (`forum:municipality_setup`,
`forum.setup.municipality_set_up`): a preset, the police district (chosen or new), and the
first SSP consultants and administrators, invited by email through the mail outbox. Bad input
is refused in Danish with the input kept and nothing saved, invitations included. Only
platform operators (superusers) may; a municipal administrator gets 403 (the persona table
has the other rows)."""

from __future__ import annotations

import pytest
from django.test import Client

from forum.models import (
    Affiliation,
    Body,
    BodyType,
    Municipality,
    MunicipalityInvitation,
    PoliceDistrict,
)
from ssp.models import OutgoingEmail, Sector, User
from tests.forum.page_helpers import field_error, form_values
from tests.forum.service_helpers import row_counts
from tests.personas import Personas

pytestmark = pytest.mark.django_db

URL = "/organisation/kommune/ny/"


@pytest.fixture
def operator_client(client: Client) -> Client:
    operator = User.objects.create_superuser(
        "drift@test.ssp", password="x", full_name="Dorte Drift", sector=Sector.OTHER
    )
    client.force_login(operator)
    return client


def _koege(**changes: str) -> dict[str, str]:
    data = {
        "name": "Køge",
        "code": "259",
        "police_district": "",
        "new_police_district": "Midt- og Vestsjællands Politi",
        "preset": "koege",
        "consultants": "Karen Konsulent, karen@koege.example\n",
        "administrators": "Anders Admin, anders@koege.example",
    }
    data.update(changes)
    return data


def _saved() -> dict[str, int]:
    return {**row_counts(), "emails": OutgoingEmail.objects.count()}


def test_an_operator_sets_up_koege_from_its_preset_and_invites_its_first_staff(
    operator_client: Client, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        response = operator_client.post(URL, _koege())

    koege = Municipality.objects.get(code="259")
    assert response.status_code == 302
    # First-run set-up, then import: on to the import page with Køge's template first.
    assert response["Location"] == f"/organisation/kommune/{koege.pk}/import/?skabelon=koege"
    assert koege.police_district.name == "Midt- og Vestsjællands Politi"
    assert (koege.ssp_age_limit, koege.ssp_plus_age_limit) == (17, 24)
    assert Body.objects.filter(municipality=koege, name="SSP-Styregruppen").exists()
    assert BodyType.objects.filter(municipality=koege, name="Infohus").exists()
    karen = Affiliation.objects.get(municipality=koege, user__email="karen@koege.example")
    anders = Affiliation.objects.get(municipality=koege, user__email="anders@koege.example")
    assert (karen.is_ssp_consultant, karen.is_administrator) == (True, False)
    assert (anders.is_ssp_consultant, anders.is_administrator) == (False, True)
    assert karen.user.sector == Sector.SSP_SECRETARIAT
    assert karen.user.full_name == "Karen Konsulent"
    invited = set(OutgoingEmail.objects.values_list("to", flat=True))
    assert {"karen@koege.example", "anders@koege.example"} <= invited
    assert callbacks, "the invitations were not left to the outbox after the commit"
    assert "Hent skabelonen: Køge" in operator_client.get(response["Location"]).content.decode()
    page = operator_client.get(f"/organisation/kommune/{koege.pk}/").content.decode()
    assert "Infohus" in page


def test_an_existing_police_district_may_be_chosen(operator_client: Client) -> None:
    district = PoliceDistrict.objects.get(name="Københavns Vestegns Politi")

    response = operator_client.post(
        URL,
        _koege(
            name="Brøndby",
            code="153",
            police_district=str(district.pk),
            new_police_district="",
            preset="glostrup",
        ),
    )

    assert response.status_code == 302
    assert Municipality.objects.get(code="153").police_district == district


def test_a_bad_email_line_is_refused_with_its_line_and_nothing_is_saved(
    operator_client: Client,
) -> None:
    before = _saved()

    response = operator_client.post(
        URL, _koege(administrators="Anders Admin, anders@koege.example\nBo Bruger, bo@")
    )

    assert response.status_code == 422
    error = field_error(response, "id_administrators")
    assert "Linje 2: »Bo Bruger, bo@« er ikke en e-mailadresse." in error
    values = form_values(response)
    assert values["id_name"] == "Køge"
    assert values["id_new_police_district"] == "Midt- og Vestsjællands Politi"
    assert "bo@" in str(values["id_administrators"])
    assert _saved() == before


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"code": "161"}, "id_code", "Der findes allerede en kommune med den kommunekode."),
        ({"name": "glostrup"}, "id_name", "Der findes allerede en kommune med det navn."),
        ({"code": "25"}, "id_code", "Kommunekoden er tre cifre, fx 161."),
        (
            {"new_police_district": ""},
            "id_police_district",
            "Vælg politikredsen, eller skriv navnet på en ny.",
        ),
        (
            {"new_police_district": "københavns vestegns politi"},
            "id_new_police_district",
            "Politikredsen findes allerede: vælg den på listen i stedet.",
        ),
        (
            {"consultants": "", "administrators": ""},
            "id_administrators",
            "Invitér mindst én administrator eller SSP-konsulent.",
        ),
    ],
)
def test_bad_input_is_refused_in_danish_and_nothing_is_saved(
    operator_client: Client, changes: dict[str, str], field: str, message: str
) -> None:
    before = _saved()

    response = operator_client.post(URL, _koege(**changes))

    assert response.status_code == 422
    assert message in field_error(response, field)
    assert _saved() == before


def test_an_existing_account_is_invited_to_accept_not_linked_at_once(
    operator_client: Client, personas: Personas
) -> None:
    """As every administrator adds people (`person_create`): the page answers the same
    whether the address has an account, and the account's owner accepts signed in."""
    response = operator_client.post(
        URL, _koege(administrators=f"Sara Social, {personas.social.email}")
    )

    koege = Municipality.objects.get(code="259")
    assert response.status_code == 302
    assert not Affiliation.objects.filter(municipality=koege, user=personas.social).exists()
    invitation = MunicipalityInvitation.objects.get(municipality=koege, user=personas.social)
    assert invitation.is_administrator


def test_a_bad_email_among_several_rolls_the_whole_set_up_back(operator_client: Client) -> None:
    before = _saved()

    response = operator_client.post(
        URL, _koege(consultants="Karen Konsulent, karen@koege.example\nkaren@")
    )

    assert response.status_code == 422
    assert "Linje 2" in field_error(response, "id_consultants")
    assert _saved() == before
    assert not Municipality.objects.filter(code="259").exists()


def test_a_municipal_administrator_may_not_set_up_a_municipality(
    admin_client: Client,
) -> None:
    before = _saved()

    assert admin_client.get(URL).status_code == 403
    assert admin_client.post(URL, _koege()).status_code == 403
    assert _saved() == before


def test_the_operator_finds_the_set_up_from_the_organisation_index(
    operator_client: Client,
) -> None:
    index = operator_client.get("/organisation/")

    assert index.status_code == 200
    assert URL in index.content.decode()
