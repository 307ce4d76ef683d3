"""A municipality's administrator sets the ages SSP and SSP+ cover, and the statistics count
by them."""

from __future__ import annotations

import pytest
from django.test import Client

from forum.models import Municipality
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def _glostrup() -> Municipality:
    return Municipality.objects.get(code="161")


def _url() -> str:
    return f"/organisation/kommune/{_glostrup().pk}/aldersgrupper/"


def test_the_administrator_sets_the_age_bands_and_the_statistics_use_them(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.admin)

    response = client.post(_url(), {"ssp_age_limit": "16", "ssp_plus_age_limit": "30"})

    assert response.status_code == 302
    assert (_glostrup().ssp_age_limit, _glostrup().ssp_plus_age_limit) == (16, 30)
    client.force_login(personas.consultant)
    page = client.get(f"/statistik/{_glostrup().pk}/").content.decode()
    assert "SSP (til og med 16 år)" in page
    assert "SSP+ (17–30 år)" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"ssp_age_limit": "20", "ssp_plus_age_limit": "18"},
            "SSP+ skal gå mindst lige så højt op i alder som SSP.",
        ),
        ({"ssp_age_limit": "sytten", "ssp_plus_age_limit": "25"}, "Indtast et heltal."),
        ({"ssp_age_limit": "3", "ssp_plus_age_limit": "25"}, "større end eller lig 10"),
    ],
)
def test_impossible_age_bands_are_refused_with_the_input_kept(
    client: Client, personas: Personas, data: dict[str, str], message: str
) -> None:
    client.force_login(personas.admin)

    response = client.post(_url(), data)

    page = response.content.decode()
    assert response.status_code == 422
    assert message in page
    assert f'value="{data["ssp_age_limit"]}"' in page
    assert (_glostrup().ssp_age_limit, _glostrup().ssp_plus_age_limit) == (17, 25)
