"""The case page's consent and status forms come when their section is opened.

They sit in closed sections of the page, so the page is sent without them: opening one
fetches its form (HTMX, GET on the URL the form posts to); without JavaScript the section's
link opens the form on a page of its own, which names the young person and is logged like the
case page. A form sent back with errors is on the case page, its section open. Who may ask
for which form is in tests/cases/test_permission_matrix.py.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client

from cases.models import Case, CaseStatus
from ssp.models import AuditAction, AuditEvent
from tests.personas import Personas

pytestmark = pytest.mark.django_db

MIKKEL = "Demo-Mikkel Eksempelsen"  # SSP-team Vestervang; the police officer reads it
HTMX = {"HX-Request": "true"}
SECTIONS = (("status/", 'name="status"'), ("samtykke/", 'name="given_by"'))
STATUS_SECTION = r"<details[^>]*>\s*<summary>Skift status</summary>.*?</details>"


def _mikkel() -> Case:
    return Case.objects.get(young_person__full_name=MIKKEL)


@pytest.fixture
def consultant(personas: Personas) -> Client:
    client = Client()
    client.force_login(personas.consultant)
    return client


def test_the_case_page_comes_without_the_forms_and_fetches_them_when_opened(
    consultant: Client,
) -> None:
    case = _mikkel()
    page = consultant.get(case.get_absolute_url()).content.decode()

    for suffix, field in SECTIONS:
        url = f"/sager/{case.pk}/{suffix}"
        assert f'hx-get="{url}"' in page
        assert f'<a href="{url}">Åbn formularen</a>' in page
        assert f'action="{url}"' not in page
        fetched = consultant.get(url, headers=HTMX)
        assert fetched.status_code == 200
        form = fetched.content.decode()
        assert form.lstrip().startswith(f'<form method="post" action="{url}"')
        assert field in form
        assert "<html" not in form
        assert MIKKEL not in form
    assert page.count('hx-trigger="toggle once"') == 2


@pytest.mark.parametrize(("suffix", "field"), SECTIONS)
def test_without_javascript_the_form_opens_on_a_page_of_its_own_that_is_logged(
    suffix: str, field: str, consultant: Client, personas: Personas
) -> None:
    case = _mikkel()
    before = AuditEvent.objects.filter(object_id=str(case.pk), action=AuditAction.VIEW).count()

    response = consultant.get(f"/sager/{case.pk}/{suffix}")
    page = response.content.decode()

    assert response.status_code == 200
    assert "<html" in page
    assert field in page
    assert MIKKEL in page  # which case the form is about
    assert f'href="{case.get_absolute_url()}"' in page  # back to the case
    after = AuditEvent.objects.filter(object_id=str(case.pk), action=AuditAction.VIEW).count()
    assert after == before + 1


def test_a_form_sent_back_with_errors_is_on_the_case_page_and_open(consultant: Client) -> None:
    case = _mikkel()
    response = consultant.post(f"/sager/{case.pk}/status/", {"status": "nonsense"})
    page = response.content.decode()

    assert response.status_code == 422
    status_section = re.search(
        r"<details[^>]*>\s*<summary>Skift status</summary>.*?</details>", page, re.S
    )
    assert status_section is not None
    assert " open" in status_section.group(0).split(">", 1)[0]
    assert "hx-get" not in status_section.group(0).split(">", 1)[0]
    assert f'action="/sager/{case.pk}/status/"' in status_section.group(0)
    assert "form-error" in status_section.group(0)
    # The other section still fetches its form.
    assert f'hx-get="/sager/{case.pk}/samtykke/"' in page
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIVE


def test_the_police_officer_who_reads_the_case_gets_no_steering_form(
    personas: Personas,
) -> None:
    case = _mikkel()
    client = Client()
    client.force_login(personas.police)

    page = client.get(case.get_absolute_url()).content.decode()
    assert "Åbn formularen" not in page
    for suffix, _field in SECTIONS:
        assert client.get(f"/sager/{case.pk}/{suffix}", headers=HTMX).status_code == 403
        assert client.get(f"/sager/{case.pk}/{suffix}").status_code == 403
