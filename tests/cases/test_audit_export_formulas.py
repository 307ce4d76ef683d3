"""The access-log export holds text people typed (a share's purpose, a search term): opened in
a spreadsheet, none of it may run as a formula."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client

from cases import services
from cases.models import Case
from tests.personas import Personas

pytestmark = pytest.mark.django_db

FORMULA = "=cmd|' /C calc'!A0"


def test_a_share_purpose_that_looks_like_a_formula_is_neutralised_in_the_export(
    client: Client, personas: Personas
) -> None:
    case = Case.objects.get(young_person__full_name="Demo-Mikkel Eksempelsen")
    services.case_share(
        case=case,
        by=personas.consultant,
        user=personas.police2,
        purpose=FORMULA,
        criteria=dict.fromkeys(services.SHARE_CRITERIA, True),
    )
    client.force_login(personas.admin)

    response = client.get("/adgangslog/eksport.csv", {"subject": case.young_person_id})

    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8").removeprefix("\ufeff")
    cells = [cell for row in csv.reader(io.StringIO(text), delimiter=";") for cell in row]
    assert f"'{FORMULA}" in cells, "the share's purpose is missing from the export"
    assert not [c for c in cells if c.startswith(("=", "+", "@", "\t", "\r"))], (
        "a cell of the access-log export would run as a formula"
    )


def test_a_search_term_that_looks_like_a_formula_is_neutralised_in_the_export(
    client: Client, personas: Personas
) -> None:
    """The consultant reads the terms people searched for; one typed as a formula stays text."""
    client.force_login(personas.leader)
    assert client.get("/sager/", {"q": FORMULA}).status_code == 200
    client.force_login(personas.consultant)

    response = client.get("/adgangslog/eksport.csv", {"user": "leder@demo.ssp"})

    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8").removeprefix("\ufeff")
    cells = [cell for row in csv.reader(io.StringIO(text), delimiter=";") for cell in row]
    assert f"'{FORMULA}" in cells, "the search term is missing from the consultant's export"
    assert not [c for c in cells if c.startswith(("=", "+", "@", "\t", "\r"))], (
        "a cell of the access-log export would run as a formula"
    )
