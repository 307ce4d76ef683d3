"""`manage.py backup`: the database and the stored files in one archive that `restore` checks.

The archive holds children's data in clear text, so it is written readable by its owner only
and must be stored encrypted, off-site (see README, "Backup and restore").
"""

from __future__ import annotations

import io
import json
import os
import tarfile
import tempfile
from pathlib import Path
from typing import Any

import psycopg
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ssp.backup import (
    ARCHIVE_FORMAT,
    DUMP_NAME,
    FILES_NAME,
    MANIFEST_NAME,
    Server,
    migration_state,
    row_counts,
    sha256_of,
)


class Command(BaseCommand):
    help = (
        "Write one archive with a pg_dump of the database, a tar of PRIVATE_MEDIA_ROOT and a "
        "manifest (migration state, row counts, sha256 checksums)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--output",
            help="Archive path (default: backups/ssp-<YYYYmmdd-HHMMSS>.tar). Never overwritten.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.localtime()
        default = Path(settings.BASE_DIR) / "backups" / f"ssp-{now:%Y%m%d-%H%M%S}.tar"
        output = Path(options["output"]) if options["output"] else default
        if output.exists():
            raise CommandError(f"{output} already exists; a backup is never overwritten.")
        output.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        database = settings.DATABASES["default"]["NAME"]
        media_root = Path(settings.PRIVATE_MEDIA_ROOT)

        # Work next to the output: a dump can be large, and the final rename stays on one disk.
        with tempfile.TemporaryDirectory(dir=output.parent, prefix=".ssp-backup-") as tmp:
            work = Path(tmp)
            counts, migrations = _dump_database(database, work / DUMP_NAME)
            # Files are copied after the dump, so every attachment the dump names is there.
            file_count = _tar_files(media_root, work / FILES_NAME)
            manifest = {
                "format": ARCHIVE_FORMAT,
                "created_at": now.isoformat(),
                "database": database,
                "migrations": migrations,
                "row_counts": counts,
                "files": file_count,
                "sha256": {name: sha256_of(work / name) for name in (DUMP_NAME, FILES_NAME)},
            }
            archive = work / "archive.tar"
            _write_archive(archive, manifest, work)
            _publish(archive, output)

        size_mb = output.stat().st_size / 1_000_000
        self.stdout.write(
            self.style.SUCCESS(
                f'Backed up database "{database}" ({len(counts)} tables, '
                f"{sum(counts.values())} rows) and {file_count} files to {output} "
                f"({size_mb:.1f} MB). Store it encrypted, off-site."
            )
        )


def _dump_database(database: str, path: Path) -> tuple[dict[str, int], dict[str, str]]:
    """pg_dump inside an exported snapshot, so the manifest counts exactly the rows dumped."""
    server = Server.from_settings()
    with server.connect(database) as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        row = conn.execute("SELECT pg_export_snapshot()").fetchone()
        snapshot = row[0] if row else ""
        counts = row_counts(conn)
        migrations = migration_state(conn)
        # The snapshot lives as long as this transaction: pg_dump must finish inside it.
        server.run(
            "pg_dump",
            [
                "--format=custom",
                f"--snapshot={snapshot}",
                "--file",
                str(path),
                "--dbname",
                database,
            ],
        )
        conn.rollback()
    return counts, migrations


def _tar_files(media_root: Path, path: Path) -> int:
    """Regular files only: a symlink could point outside the root and is never uploaded."""
    count = 0
    with tarfile.open(path, "w") as tar:
        if media_root.is_dir():
            for entry in sorted(media_root.rglob("*")):
                if entry.is_file() and not entry.is_symlink():
                    tar.add(entry, arcname=entry.relative_to(media_root).as_posix())
                    count += 1
    return count


def _write_archive(archive: Path, manifest: dict[str, Any], work: Path) -> None:
    data = json.dumps(manifest, indent=2, sort_keys=True).encode()
    # Created private before anything is written to it.
    archive.touch(mode=0o600)
    with tarfile.open(archive, "w") as tar:
        info = tarfile.TarInfo(MANIFEST_NAME)
        info.size = len(data)
        info.mtime = int(timezone.now().timestamp())
        info.mode = 0o600
        tar.addfile(info, io.BytesIO(data))
        for name in (DUMP_NAME, FILES_NAME):
            tar.add(work / name, arcname=name)


def _publish(archive: Path, output: Path) -> None:
    """Give the finished archive its name without overwriting one that appeared meanwhile."""
    try:
        os.link(archive, output)
    except FileExistsError as error:
        raise CommandError(f"{output} already exists; a backup is never overwritten.") from error
