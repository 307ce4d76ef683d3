"""Stored files live in PostgreSQL (`ssp.storage.DatabaseStorage`), not on a node's disk: a file
written by one process is served by another that shares no folder with it (issue 18)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.http import FileResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext

from actioncard import services as actioncard_services
from actioncard.models import EditionStatus, RenderPurpose, RenderStatus
from ssp.models import StoredFile
from ssp.storage import CHUNK_BYTES, private_storage
from tests.actioncard.conftest import pdf_text
from tests.actioncard.test_render_worker import _draft, _job_status, _wait_for, _worker_env
from tests.celery_worker import running_worker

ROOT = Path(__file__).resolve().parents[2]


def _empty(folder: Path) -> bool:
    return not any(path.is_file() for path in folder.rglob("*"))


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_pdf_rendered_by_the_worker_is_served_by_a_web_process_sharing_no_disk(
    tmp_path: Path,
    settings,  # type: ignore[no-untyped-def]
) -> None:
    worker_disk, web_disk = tmp_path / "worker", tmp_path / "web"
    worker_disk.mkdir()
    web_disk.mkdir()
    settings.PRIVATE_MEDIA_ROOT = str(web_disk)
    edition, admin = _draft()

    env = {**_worker_env(), "PRIVATE_MEDIA_ROOT": str(worker_disk)}
    with running_worker(env, queues="pdf"):
        job = actioncard_services.render_request(
            edition=edition, by=admin, purpose=RenderPurpose.PUBLISH
        )
        _wait_for(lambda: _job_status(job) == RenderStatus.DONE, "the rendering")

    edition.refresh_from_db()
    assert edition.status == EditionStatus.PUBLISHED
    response = Client().get(edition.public_pdf_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF")
    assert body == bytes(StoredFile.objects.get(name=edition.pdf.name).content)
    assert int(response["Content-Length"]) == len(body)
    assert "Åse Ærø-Øster" in pdf_text(body)
    # Neither process put anything on its disk.
    assert _empty(worker_disk)
    assert _empty(web_disk)


@pytest.mark.django_db(transaction=True)
def test_a_file_saved_by_another_process_is_read_here_with_no_shared_disk(
    tmp_path: Path,
    settings,  # type: ignore[no-untyped-def]
) -> None:
    writer_disk, reader_disk = tmp_path / "writer", tmp_path / "reader"
    writer_disk.mkdir()
    reader_disk.mkdir()
    settings.PRIVATE_MEDIA_ROOT = str(reader_disk)
    data = os.urandom(300_000)
    source = tmp_path / "upload.bin"
    source.write_bytes(data)
    storage = private_storage()
    name = ""
    try:
        writer = subprocess.run(  # noqa: S603 - our own command
            [
                sys.executable,
                "manage.py",
                "shell",
                "-c",
                "import sys\n"
                "from django.core.files import File\n"
                "from ssp.storage import private_storage\n"
                f"with open({str(source)!r}, 'rb') as f:\n"
                "    sys.stdout.write(private_storage().save('test/other-node.bin', File(f)))\n",
            ],
            cwd=ROOT,
            env={**os.environ, **_worker_env(), "PRIVATE_MEDIA_ROOT": str(writer_disk)},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert writer.returncode == 0, writer.stderr
        name = writer.stdout.strip().splitlines()[-1]
        assert name.startswith("test/other-node")
        with storage.open(name) as stored:
            assert hashlib.sha256(stored.read()).digest() == hashlib.sha256(data).digest()
        assert storage.size(name) == len(data)
        assert _empty(writer_disk)
        assert _empty(reader_disk)
    finally:
        # A transactional test leaves its rows behind unless it removes them.
        storage.delete(name)


@pytest.mark.django_db
def test_a_large_file_is_streamed_in_chunks_and_comes_back_whole() -> None:
    storage = private_storage()
    data = os.urandom(CHUNK_BYTES * 2 + 12345)
    name = storage.save("test/large.bin", ContentFile(data))

    with CaptureQueriesContext(connection) as queries:
        response = FileResponse(storage.open(name), content_type="application/octet-stream")
        body = b"".join(response.streaming_content)

    assert body == data
    assert int(response["Content-Length"]) == len(data)
    reads = [q for q in queries.captured_queries if "substring(content" in q["sql"]]
    assert len(reads) == 3  # 1 MiB at a time, though FileResponse asks for 4 KB
    assert storage.size(name) == len(data)
    assert storage.listdir("test") == ([], ["large.bin"])


@pytest.mark.django_db
def test_a_file_saved_in_a_transaction_that_rolls_back_is_not_stored() -> None:
    storage = private_storage()
    names: list[str] = []

    def save_then_fail() -> None:
        with transaction.atomic():
            names.append(storage.save("test/rolled-back.pdf", ContentFile(b"%PDF-1.7 x")))
            assert storage.exists(names[0])
            raise RuntimeError("the record failed")

    with pytest.raises(RuntimeError):
        save_then_fail()
    (name,) = names
    assert not storage.exists(name)
    with pytest.raises(FileNotFoundError):
        storage.open(name)


def test_no_file_field_of_the_app_stores_on_disk() -> None:
    from django.apps import apps
    from django.db.models import FileField

    fields = [
        field
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, FileField)
    ]
    assert fields, "the app has FileFields (attachments, ActionCard PDFs)"
    for field in fields:
        assert getattr(field.storage, "transactional", False), field
    assert settings.STORAGES["default"]["BACKEND"] == "ssp.storage.DatabaseStorage"
