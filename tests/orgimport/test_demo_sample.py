"""The demo's import: its units carry codes, and the sample spreadsheet of the fictional
municipality (Fiktivby) downloaded from Glostrup's import page imports cleanly there and is
nothing on a second run."""

from __future__ import annotations

import pytest
from django.test import Client

from forum.models import Body, BodyKind, Municipality, Person, Unit
from orgimport import services
from orgimport.workbooks import SAMPLE_DOMAIN
from tests.orgimport.sheets import upload
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def test_every_demo_unit_has_a_code_to_be_imported_again_by() -> None:
    assert not Unit.objects.filter(code="").exists()
    assert Unit.objects.get(name="Glostrup Lokalpoliti").code == "161-GLOSTRUP-LOKALPOLITI"


def test_the_sample_spreadsheet_imports_into_the_demo_and_a_second_run_is_nothing(
    client: Client, personas: Personas
) -> None:
    glostrup = Municipality.objects.get(code="161")
    client.force_login(personas.admin)

    response = client.get(f"/organisation/kommune/{glostrup.pk}/import/eksempel.xlsx")

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="fiktivby-eksempel-glostrup.xlsx"'
    )
    plan = services.import_plan(
        upload=upload(glostrup, personas.admin, response.content), by=personas.admin
    )
    assert plan.errors == []
    assert plan.summary()["people"] == {"create": 300, "change": 0, "same": 0}
    services.import_confirm(
        upload=upload(glostrup, personas.admin, response.content), by=personas.admin
    )
    assert Person.objects.filter(email__endswith=f"@{SAMPLE_DOMAIN}").count() == 300
    teams = Body.objects.filter(
        name__startswith="SSP-team Fiktivby Skole", kind=BodyKind.SCHOOL_TEAM
    )
    assert teams.count() == 40
    assert {team.parent.name for team in teams} == {"SSP-Forum Glostrup"}
    again = services.import_plan(
        upload=upload(glostrup, personas.admin, response.content), by=personas.admin
    )
    assert not again.has_work
