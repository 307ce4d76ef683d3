"""The export page: the case option only for the data controller's representative, and then
only with a code from the authenticator app given just now; bad input kept with a Danish
message and nothing started. Operators name the representative in Django admin, nobody else."""

from __future__ import annotations

from unittest import mock

import pytest
from django.test import Client

from archive import services
from archive.models import ArchiveExport, ControllerRepresentative
from forum.models import Municipality
from ssp.models import AuditAction, AuditEvent
from tests.archive.helpers import PASSPHRASE
from tests.factories import UserFactory
from tests.personas import Personas
from tests.two_factor import code_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_worker():  # type: ignore[no-untyped-def]
    with mock.patch.object(services, "_enqueue"):
        yield


def _form(**fields: str) -> dict[str, str]:
    return {
        "purpose": "Overdragelse",
        "passphrase": PASSPHRASE,
        "passphrase_again": PASSPHRASE,
        **fields,
    }


@pytest.fixture
def glostrup() -> Municipality:
    return Municipality.objects.get(code="161")


def test_an_administrator_is_not_offered_the_cases(
    personas: Personas, glostrup: Municipality, client: Client
) -> None:
    client.force_login(personas.admin)
    page = client.get(f"/eksport/{glostrup.pk}/").content.decode()
    posted = client.post(f"/eksport/{glostrup.pk}/", _form(include_cases="on", code="123456"))

    assert 'name="include_cases"' not in page
    assert "Sager kan kun eksporteres af den repræsentant" in page
    assert posted.status_code == 302
    assert ArchiveExport.objects.get().include_cases is False, "a smuggled field is ignored"


def test_the_representative_needs_a_code_given_just_now_for_the_cases(
    personas: Personas, glostrup: Municipality, client: Client, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    services.controller_representative_name(
        municipality=glostrup, user=personas.admin, instruction="J.nr. 1", by=personas.admin
    )
    client.force_login(personas.admin)
    url = f"/eksport/{glostrup.pk}/"

    without = client.post(url, _form(include_cases="on"))
    wrong = client.post(url, _form(include_cases="on", code="000000"))
    assert ArchiveExport.objects.count() == 0
    right = client.post(url, _form(include_cases="on", code=code_for(personas.admin)))

    assert without.status_code == 422
    assert "Skriv koden fra din godkendelsesapp" in without.content.decode()
    assert wrong.status_code == 422
    assert "Koden er forkert eller udløbet" in wrong.content.decode()
    assert 'value="Overdragelse"' in wrong.content.decode(), "the input is kept"
    assert right.status_code == 302
    assert ArchiveExport.objects.get().include_cases is True


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"purpose": ""}, "Skriv, hvad eksporten skal bruges til."),
        ({"passphrase_again": "noget andet helt"}, "De to adgangsfraser er ikke ens."),
        ({"passphrase": "kort", "passphrase_again": "kort"}, "mindst 12 tegn"),
    ],
)
def test_bad_input_is_refused_in_danish_and_nothing_starts(
    personas: Personas, glostrup: Municipality, client: Client, fields, message: str
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(personas.admin)
    response = client.post(f"/eksport/{glostrup.pk}/", _form(**fields))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not ArchiveExport.objects.exists()


def test_only_a_platform_operator_names_the_representative_and_it_is_logged(
    personas: Personas, glostrup: Municipality
) -> None:
    url = "/admin/archive/controllerrepresentative/add/"
    data = {"municipality": glostrup.pk, "user": personas.admin.pk, "instruction": "J.nr. 7"}
    municipal_admin = Client()
    municipal_admin.force_login(personas.admin)
    operator = Client()
    operator.force_login(UserFactory(is_staff=True, is_superuser=True))

    refused = municipal_admin.post(url, data)
    assert not ControllerRepresentative.objects.exists()
    not_admin = operator.post(url, {**data, "user": personas.consultant.pk})
    assert not ControllerRepresentative.objects.exists()
    named = operator.post(url, data)

    assert refused.status_code == 403
    assert "Repræsentanten skal være administrator i kommunen." in not_admin.content.decode()
    assert named.status_code == 302
    assert ControllerRepresentative.objects.get().user == personas.admin
    assert AuditEvent.objects.filter(
        action=AuditAction.GRANT, object_type="archive.controllerrepresentative"
    ).exists()


def test_the_status_polls_while_the_worker_builds_and_stops_when_it_is_ready(
    personas: Personas, glostrup: Municipality, client: Client
) -> None:
    client.force_login(personas.admin)
    client.post(f"/eksport/{glostrup.pk}/", _form())
    export = ArchiveExport.objects.get()
    url = f"/eksport/arkiv/{export.pk}/"

    queued = client.get(url, headers={"HX-Request": "true"}).content.decode()
    ArchiveExport.objects.filter(pk=export.pk).update(status="failed")
    failed = client.get(url, headers={"HX-Request": "true"}).content.decode()

    assert 'hx-trigger="every 2s"' in queued
    assert "Arkivet dannes" in queued
    assert "<html" not in queued, "HTMX gets the partial only"
    assert "hx-trigger" not in failed
    assert "Arkivet kunne ikke dannes" in failed
