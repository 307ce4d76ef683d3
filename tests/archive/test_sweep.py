"""The archive lives for its one download: the sweep deletes it after the download or when it
expires, and gives up an export whose task was lost."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from archive import services
from archive.models import ArchiveExport, ExportStatus
from forum.models import Municipality
from ssp.models import StoredFile
from ssp.storage import private_storage
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def _export(personas: Personas, **fields) -> ArchiveExport:  # type: ignore[no-untyped-def]
    name = private_storage().save("archive/161/sweep.zip", ContentFile(b"zip"))
    return ArchiveExport.objects.create(
        municipality=Municipality.objects.get(code="161"),
        requested_by=personas.admin,
        purpose="Tilsyn",
        file_name=name,
        **fields,
    )


def test_a_downloaded_archive_is_deleted_a_while_after_the_download(personas: Personas) -> None:
    now = timezone.now()
    recent = _export(personas, status=ExportStatus.DOWNLOADED, downloaded_at=now)
    earlier = _export(
        personas, status=ExportStatus.DOWNLOADED, downloaded_at=now - timedelta(hours=1)
    )

    services.archive_exports_sweep()

    recent.refresh_from_db()
    earlier.refresh_from_db()
    assert StoredFile.objects.filter(name=recent.file_name).exists(), "still streaming"
    assert earlier.file_name == ""
    assert StoredFile.objects.filter(name__startswith="archive/161/sweep").count() == 1


def test_an_archive_not_fetched_in_time_expires_and_is_deleted(personas: Personas) -> None:
    export = _export(
        personas, status=ExportStatus.READY, expires_at=timezone.now() - timedelta(minutes=1)
    )
    name = export.file_name

    services.archive_exports_sweep()
    services.archive_exports_sweep()

    export.refresh_from_db()
    assert export.status == ExportStatus.EXPIRED
    assert not StoredFile.objects.filter(name=name).exists()


def test_an_export_whose_task_was_lost_is_given_up(personas: Personas) -> None:
    export = _export(personas, status=ExportStatus.QUEUED)
    ArchiveExport.objects.filter(pk=export.pk).update(
        requested_at=timezone.now() - timedelta(hours=2)
    )

    services.archive_exports_sweep()

    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED


def test_an_export_whose_worker_died_while_building_is_given_up(personas: Personas) -> None:
    """A worker killed mid-build leaves the export running; its page must stop waiting."""
    building = _export(personas, status=ExportStatus.RUNNING)
    ArchiveExport.objects.filter(pk=building.pk).update(
        started_at=timezone.now() - timedelta(hours=3)
    )
    recent = _export(personas, status=ExportStatus.RUNNING)
    ArchiveExport.objects.filter(pk=recent.pk).update(started_at=timezone.now())

    services.archive_exports_sweep()

    building.refresh_from_db()
    recent.refresh_from_db()
    assert building.status == ExportStatus.FAILED
    assert "start a new export" in building.error
    assert recent.status == ExportStatus.RUNNING
