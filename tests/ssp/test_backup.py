"""`manage.py backup` and `manage.py restore` bring back the demo database and stored files.

pg_dump and pg_restore are separate processes: they see only committed rows. The demo seed is
committed once per session (tests/conftest.py), so the tests back up the test database as it
is and never rely on rows created inside a test's own transaction.
"""

from __future__ import annotations

import io
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import CommandError

from ssp.backup import DUMP_NAME, Server, row_counts

pytestmark = pytest.mark.django_db

ATTACHMENT = Path("agenda/2026/referat.pdf")
ATTACHMENT_BYTES = b"%PDF-1.4 not really a pdf, but bytes to compare\x00\xff"
DEMO_CASE = "Demo-Jonas Fiktivsen"
CASE_CONCERNS = """
    SELECT concern.description FROM cases_concern AS concern
    JOIN cases_case AS c ON c.id = concern.case_id
    JOIN cases_youngperson AS person ON person.id = c.young_person_id
    WHERE person.full_name = %s ORDER BY concern.id
"""


@pytest.fixture
def source_media(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    """A private media root holding one agenda attachment, so the files part is covered."""
    root = tmp_path / "media"
    (root / ATTACHMENT).parent.mkdir(parents=True)
    (root / ATTACHMENT).write_bytes(ATTACHMENT_BYTES)
    settings.PRIVATE_MEDIA_ROOT = str(root)
    return root


@pytest.fixture
def archive(source_media: Path, tmp_path: Path) -> Path:
    path = tmp_path / "backup.tar"
    call_command("backup", "--output", str(path), stdout=io.StringIO())
    return path


@pytest.fixture
def restore_database() -> Iterator[str]:
    """A database name that does not exist yet, dropped again after the test."""
    name = f"{django_settings.DATABASES['default']['NAME']}_restore"
    server = Server.from_settings()
    server.drop_database(name)
    yield name
    with server.connect("postgres", autocommit=True) as conn:
        conn.execute(
            psycopg.sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                psycopg.sql.Identifier(name)
            )
        )


def _connect(name: str) -> psycopg.Connection[Any]:
    return Server.from_settings().connect(name)


def _source_name() -> str:
    return django_settings.DATABASES["default"]["NAME"]


def test_restore_brings_back_every_row_a_case_text_and_the_stored_files(
    archive: Path, restore_database: str, tmp_path: Path
) -> None:
    restored_media = tmp_path / "restored-media"
    out = io.StringIO()

    call_command(
        "restore",
        str(archive),
        "--database",
        restore_database,
        "--media-root",
        str(restored_media),
        stdout=out,
    )

    with _connect(_source_name()) as source, _connect(restore_database) as restored:
        source_counts, restored_counts = row_counts(source), row_counts(restored)
        source_text = source.execute(CASE_CONCERNS, [DEMO_CASE]).fetchall()
        restored_text = restored.execute(CASE_CONCERNS, [DEMO_CASE]).fetchall()
    assert source_counts["cases_concern"] > 0, "the demo seed is missing from the test database"
    assert restored_counts == source_counts
    assert source_text, f"no concern belongs to the demo case of {DEMO_CASE}"
    assert restored_text == source_text
    assert (restored_media / ATTACHMENT).read_bytes() == ATTACHMENT_BYTES
    assert f'into database "{restore_database}"' in out.getvalue()


def test_backup_refuses_to_overwrite_an_existing_archive(archive: Path) -> None:
    before = archive.read_bytes()

    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", "--output", str(archive), stdout=io.StringIO())

    assert archive.read_bytes() == before


def test_restore_refuses_a_damaged_archive_and_creates_no_database(
    archive: Path, restore_database: str, tmp_path: Path
) -> None:
    with tarfile.open(archive) as tar:
        dump = tar.getmember(DUMP_NAME)
    with archive.open("r+b") as handle:
        handle.seek(dump.offset_data + dump.size // 2)
        byte = handle.read(1)
        handle.seek(-1, 1)
        handle.write(bytes([byte[0] ^ 0xFF]))
    restored_media = tmp_path / "restored-media"

    with pytest.raises(CommandError, match=r"damaged: the checksum of database\.dump"):
        call_command(
            "restore",
            str(archive),
            "--database",
            restore_database,
            "--media-root",
            str(restored_media),
            stdout=io.StringIO(),
        )

    assert not Server.from_settings().database_exists(restore_database)
    assert not restored_media.exists()


def test_restore_refuses_an_existing_database_with_tables_without_force(
    archive: Path, tmp_path: Path
) -> None:
    source = _source_name()
    with _connect(source) as conn:
        before = row_counts(conn)

    with pytest.raises(CommandError, match=rf'"{source}" already exists and has \d+ tables'):
        call_command(
            "restore",
            str(archive),
            "--database",
            source,
            "--media-root",
            str(tmp_path / "restored-media"),
            stdout=io.StringIO(),
        )

    with _connect(source) as conn:
        assert row_counts(conn) == before


def test_restore_refuses_to_overwrite_existing_files_without_force(
    archive: Path, source_media: Path, restore_database: str
) -> None:
    (source_media / ATTACHMENT).write_bytes(b"changed since the backup")

    with pytest.raises(CommandError, match="1 files already exist"):
        call_command(
            "restore",
            str(archive),
            "--database",
            restore_database,
            "--media-root",
            str(source_media),
            stdout=io.StringIO(),
        )

    assert (source_media / ATTACHMENT).read_bytes() == b"changed since the backup"
    assert not Server.from_settings().database_exists(restore_database)
