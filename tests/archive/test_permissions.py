"""Who gets which archive page: persona × URL, and the leaks that must not happen (another
municipality's administrator, another administrator of the same one, non-administrators)."""

from __future__ import annotations

from dataclasses import dataclass
from unittest import mock

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from archive import services
from archive.models import ArchiveExport, ExportStatus
from archive.permissions import can_export_cases
from forum import services as forum_services
from forum.models import Municipality
from ssp.storage import private_storage
from tests.archive.helpers import PASSPHRASE
from tests.factories import UserFactory
from tests.permission_table import ANONYMOUS, Row, Table, check, sign_in, statuses
from tests.personas import PERSONA_NAMES, Personas

pytestmark = pytest.mark.django_db

PERSONAS = (*PERSONA_NAMES, ANONYMOUS)


@dataclass
class World:
    glostrup: Municipality
    export: ArchiveExport


@pytest.fixture
def world(personas: Personas) -> World:
    glostrup = Municipality.objects.get(code="161")
    name = private_storage().save("archive/161/test.zip", ContentFile(b"PK\x05\x06" + b"\0" * 18))
    export = ArchiveExport.objects.create(
        municipality=glostrup,
        requested_by=personas.admin,
        purpose="Tilsyn",
        status=ExportStatus.READY,
        file_name=name,
        expires_at=timezone.now() + timezone.timedelta(hours=1),
    )
    return World(glostrup=glostrup, export=export)


ADMIN_ONLY = statuses(PERSONAS, 403, admin=200, anonymous=302)
REQUESTER_ONLY = statuses(PERSONAS, 404, admin=200, anonymous=302)

ROWS = [
    Row("index", "GET", lambda w: "/eksport/", ADMIN_ONLY),
    Row("export", "GET", lambda w: f"/eksport/{w.glostrup.pk}/", ADMIN_ONLY),
    Row(
        "export",
        "POST",
        lambda w: f"/eksport/{w.glostrup.pk}/",
        {**ADMIN_ONLY, "admin": 302},
        lambda w: {
            "purpose": "Tilsyn",
            "passphrase": PASSPHRASE,
            "passphrase_again": PASSPHRASE,
        },
    ),
    Row("status", "GET", lambda w: f"/eksport/arkiv/{w.export.pk}/", REQUESTER_ONLY),
    Row("download", "GET", lambda w: f"/eksport/arkiv/{w.export.pk}/hent/", REQUESTER_ONLY),
]

TABLE = Table(namespace="archive", rows=ROWS, personas=PERSONAS)


@pytest.mark.parametrize(("row", "persona"), TABLE.params())
def test_permission_table(
    row: Row, persona: str, personas: Personas, world: World, client: Client
) -> None:
    sign_in(client, persona, personas)
    with mock.patch.object(services, "_enqueue"):
        check(client, row, persona, url=row.url(world), data=row.data(world) if row.data else None)


def test_another_municipalitys_administrator_neither_sees_nor_downloads_the_archive(
    world: World,
) -> None:
    other = UserFactory()
    forum_services.affiliation_set(
        user=other,
        municipality=Municipality.objects.get(code="165"),
        is_administrator=True,
        by=None,
    )
    client = Client()
    client.force_login(other)

    assert client.get(f"/eksport/arkiv/{world.export.pk}/").status_code == 404
    assert client.get(f"/eksport/arkiv/{world.export.pk}/hent/").status_code == 404
    assert client.get(f"/eksport/{world.glostrup.pk}/").status_code == 403
    page = client.get("/eksport/", follow=True).content.decode()
    assert "Glostrup" not in page, "the export page leaked another municipality"
    world.export.refresh_from_db()
    assert world.export.status == ExportStatus.READY, "nobody else may use up the download"


def test_another_administrator_of_the_same_municipality_cannot_download_it(
    world: World,
) -> None:
    colleague = UserFactory()
    forum_services.affiliation_set(
        user=colleague, municipality=world.glostrup, is_administrator=True, by=None
    )
    client = Client()
    client.force_login(colleague)
    assert client.get(f"/eksport/arkiv/{world.export.pk}/hent/").status_code == 404
    history = client.get(f"/eksport/{world.glostrup.pk}/").content.decode()
    assert "Tilsyn" in history, "the export is on the municipality's record for its admins"


@pytest.mark.django_db
def test_the_demo_names_glostrups_administrator_to_act_for_it_as_data_controller(
    personas: Personas,
) -> None:
    """As seeded (the autouse fixture of this folder removes it for the other tests)."""
    from devtools.demo import archive as archive_demo

    archive_demo.seed()

    glostrup = Municipality.objects.get(code="161")
    assert can_export_cases(personas.admin, glostrup)
    assert not can_export_cases(personas.admin, Municipality.objects.get(code="165"))
