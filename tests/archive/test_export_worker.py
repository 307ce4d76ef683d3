"""A real Celery worker on the real Redis broker builds the export the administrator asked
for; the archive opens with the passphrase, holds the cases only for the data controller's
representative, and is downloaded once."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command
from django.test import Client

from archive import services
from archive.models import ArchiveExport, ControllerRepresentative, ExportStatus
from archive.reader import archive_open
from forum.models import Municipality
from ssp.celery import app as celery_app
from ssp.notify import mail as mail_outbox
from tests.archive.helpers import PASSPHRASE
from tests.celery_worker import running_worker
from tests.mail import deliver_in_process, file_mail_worker_env
from tests.personas import Personas, load_personas

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

TIMEOUT = 90


@pytest.fixture
def demo(transactional_db) -> Personas:  # type: ignore[no-untyped-def]
    """Transactional tests start from whatever the last one left (an earlier one may have
    flushed the demo): seed it again, its emails delivered here rather than by the worker."""
    with mock.patch.object(mail_outbox, "_enqueue", deliver_in_process):
        call_command("seed_demo", stdout=io.StringIO())
    return load_personas()


def _wait_until_ready(export: ArchiveExport) -> ArchiveExport:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        export.refresh_from_db()
        if export.status not in (ExportStatus.QUEUED, ExportStatus.RUNNING):
            return export
        time.sleep(0.3)
    raise AssertionError(f"the export was not built in time (status {export.status})")


def test_a_real_worker_builds_the_controllers_export_which_is_downloaded_once(
    demo: Personas, tmp_path: Path
) -> None:
    personas = demo
    celery_app.control.purge()
    glostrup = Municipality.objects.get(code="161")
    # The demo names the administrator already (devtools/demo/archive.py); the test says so.
    ControllerRepresentative.objects.update_or_create(
        municipality=glostrup,
        user=personas.admin,
        defaults={"instruction": "Byrådets beslutning 2026-12"},
    )
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    with running_worker(env=file_mail_worker_env(mail_dir)) as worker:
        worker.wait_until_it_answers_ping(timeout=30)
        export = services.archive_export_request(
            municipality=glostrup,
            by=personas.admin,
            purpose="Overdragelse til ny leverandør",
            passphrase=PASSPHRASE,
            include_cases=True,
        )
        export = _wait_until_ready(export)
    assert export.status == ExportStatus.READY, export.error

    client = Client()
    client.force_login(personas.admin)
    first = client.get(f"/eksport/arkiv/{export.pk}/hent/")
    second = client.get(f"/eksport/arkiv/{export.pk}/hent/")

    assert first.status_code == 200
    data = b"".join(first.streaming_content)
    path = tmp_path / "export.zip"
    path.write_bytes(data)
    opened = archive_open(path, PASSPHRASE)
    assert opened.manifest["created_by"] == {"role": "data_controller"}
    assert opened.json("cases/cases.json"), "the controller's archive holds the cases"
    assert opened.json("cases/events.json"), "… with their event log"
    assert zipfile.ZipFile(io.BytesIO(data)).testzip() is None
    assert second.status_code == 410
    export.refresh_from_db()
    assert export.status == ExportStatus.DOWNLOADED
