"""Pages and files with personal data are never kept in the browser's cache: on a shared
computer the next person could otherwise read a young person's case from the history.

The rule is simple: every response to a signed-in user is `no-store` unless the view chose its
own caching. Static files (served before the session is read) and public pages keep theirs.
"""

from __future__ import annotations

import pytest
from django.test import Client

from cases.models import Case
from forum.models import Municipality
from tests.meetings.minutes_helpers import hold_first_monday_meeting
from tests.personas import Personas

pytestmark = pytest.mark.django_db

STATISTICS_PERIOD = {"fra": "2025-01-01", "til": "2025-12-31"}


def _no_store(response) -> bool:  # type: ignore[no-untyped-def]
    return "no-store" in response.get("Cache-Control", "")


def _glostrup_pk() -> int:
    return Municipality.objects.get(code="161").pk


def test_a_case_page_is_not_stored(client: Client, personas: Personas) -> None:
    case = Case.objects.get(young_person__full_name="Demo-Mikkel Eksempelsen")
    client.force_login(personas.consultant)

    response = client.get(f"/sager/{case.pk}/")

    assert response.status_code == 200
    assert _no_store(response), "the case page may be kept in the browser's cache"


def test_the_minutes_pdf_is_not_stored(client: Client, personas: Personas) -> None:
    held = hold_first_monday_meeting()
    client.force_login(personas.police)

    response = client.get(f"/moeder/{held.pk}/referat.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert _no_store(response), "the minutes PDF may be kept in the browser's cache"


@pytest.mark.parametrize("suffix", ["statistik.csv", "statistik.xlsx"])
def test_the_statistics_exports_are_not_stored(
    client: Client, personas: Personas, suffix: str
) -> None:
    client.force_login(personas.consultant)

    response = client.get(f"/statistik/{_glostrup_pk()}/{suffix}", STATISTICS_PERIOD)

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert _no_store(response), f"the {suffix} export may be kept in the browser's cache"


def test_the_access_log_export_is_not_stored(client: Client, personas: Personas) -> None:
    client.force_login(personas.admin)

    response = client.get("/adgangslog/eksport.csv")

    assert response.status_code == 200
    assert _no_store(response), "the access-log export may be kept in the browser's cache"


def test_the_public_actioncard_page_stays_cacheable(client: Client) -> None:
    response = client.get("/handlekort/")

    assert response.status_code == 200
    assert not _no_store(response)


def test_a_static_file_keeps_its_own_caching_for_a_signed_in_user(
    personas: Personas, settings
) -> None:  # type: ignore[no-untyped-def]
    # Tests run without collectstatic: let WhiteNoise find the file where it is written.
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    client = Client()
    client.force_login(personas.consultant)

    response = client.get("/static/ssp/app.css")

    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    assert not _no_store(response)
