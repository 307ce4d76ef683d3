"""`manage.py restore ARCHIVE --database NAME`: bring a `manage.py backup` archive back.

Every check runs before anything is written: the checksums, the entries of the files tar, an
existing database with tables and existing files (both kept unless --force). The database is
restored in one transaction, so a failed restore leaves it as it was (and a database this
command created is dropped again); the row counts are then compared with the manifest.
"""

from __future__ import annotations

import hashlib
import json
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ssp.backup import (
    ARCHIVE_FORMAT,
    DUMP_NAME,
    FILES_NAME,
    MANIFEST_NAME,
    MEMBER_NAMES,
    Server,
    row_counts,
    user_tables,
)

NOTHING_DONE = "Nothing was restored."


class Command(BaseCommand):
    help = "Restore a backup archive into a database and PRIVATE_MEDIA_ROOT, after checking it."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("archive", help="An archive written by `manage.py backup`.")
        parser.add_argument(
            "--database",
            required=True,
            help="Database to restore into; created if missing. Name it explicitly, so the "
            "live database is never replaced by accident.",
        )
        parser.add_argument(
            "--media-root",
            help="Where to put the stored files (default: PRIVATE_MEDIA_ROOT).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace the contents of an existing database and overwrite existing files.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        archive = Path(options["archive"])
        database: str = options["database"]
        media_root = Path(options["media_root"] or settings.PRIVATE_MEDIA_ROOT)
        force: bool = options["force"]
        if not archive.is_file():
            raise CommandError(f"{archive} does not exist. {NOTHING_DONE}")
        server = Server.from_settings()

        with tempfile.TemporaryDirectory(prefix="ssp-restore-") as tmp:
            work = Path(tmp)
            manifest = _unpack_verified(archive, work)
            files = _files_to_restore(work / FILES_NAME, media_root, force=force)
            created = _prepare_database(server, database, force=force)
            try:
                _restore_database(server, database, work / DUMP_NAME, force=force)
            except CommandError:
                if created:
                    server.drop_database(database)
                raise
            media_root.mkdir(parents=True, exist_ok=True)
            with tarfile.open(work / FILES_NAME) as tar:
                members = [member for member in tar.getmembers() if member.name in files]
                tar.extractall(media_root, members=members, filter="data")

        counts = _verify_row_counts(server, database, manifest["row_counts"])
        self.stdout.write(
            self.style.SUCCESS(
                f'Restored {archive} into database "{database}" ({len(counts)} tables, '
                f"{sum(counts.values())} rows, as in the manifest) and {len(files)} files into "
                f"{media_root}."
            )
        )


def _unpack_verified(archive: Path, work: Path) -> dict[str, Any]:
    """Copy the dump and the files tar out of the archive and check them against the manifest."""
    digests = {}
    try:
        with tarfile.open(archive, "r:") as outer:
            missing = sorted(set(MEMBER_NAMES) - set(outer.getnames()))
            if missing:
                raise CommandError(
                    f"{archive} is not an SSP backup archive (missing {', '.join(missing)}). "
                    f"{NOTHING_DONE}"
                )
            manifest = json.load(_member(outer, MANIFEST_NAME))
            for name in (DUMP_NAME, FILES_NAME):
                digest = hashlib.sha256()
                with (work / name).open("wb") as target:
                    source = _member(outer, name)
                    for block in iter(lambda s=source: s.read(1024 * 1024), b""):
                        digest.update(block)
                        target.write(block)
                digests[name] = digest.hexdigest()
    except (tarfile.TarError, ValueError, OSError) as error:
        raise CommandError(f"{archive} cannot be read ({error}). {NOTHING_DONE}") from error

    if manifest.get("format") != ARCHIVE_FORMAT:
        raise CommandError(
            f"{archive} has archive format {manifest.get('format')!r}; this version reads "
            f"format {ARCHIVE_FORMAT}. {NOTHING_DONE}"
        )
    for name, digest in digests.items():
        if (manifest.get("sha256") or {}).get(name) != digest:
            raise CommandError(
                f"{archive} is damaged: the checksum of {name} does not match the manifest. "
                f"{NOTHING_DONE}"
            )
    return manifest


def _member(tar: tarfile.TarFile, name: str) -> Any:
    handle = tar.extractfile(name)
    if handle is None:
        raise CommandError(f"{name} in the archive is not a regular file. {NOTHING_DONE}")
    return handle


def _files_to_restore(files_tar: Path, media_root: Path, *, force: bool) -> set[str]:
    """Refuse entries that would land outside the root, and files that already exist."""
    with tarfile.open(files_tar) as tar:
        members = [member for member in tar.getmembers() if member.isfile()]
    existing = []
    for member in members:
        try:
            tarfile.data_filter(member, str(media_root))
        except tarfile.FilterError as error:
            raise CommandError(f"Unsafe entry in {FILES_NAME}: {error}. {NOTHING_DONE}") from error
        if (media_root / member.name).exists():
            existing.append(member.name)
    if existing and not force:
        raise CommandError(
            f"{len(existing)} files already exist under {media_root} (e.g. {existing[0]}); "
            f"restore into an empty --media-root, or use --force to overwrite them. {NOTHING_DONE}"
        )
    return {member.name for member in members}


def _prepare_database(server: Server, database: str, *, force: bool) -> bool:
    """Create the database if missing (True); refuse one that has tables unless forced."""
    if server.database_exists(database):
        with server.connect(database) as conn:
            tables = len(user_tables(conn))
        if tables and not force:
            raise CommandError(
                f'Database "{database}" already exists and has {tables} tables; restore into '
                f"a new database, or use --force to replace its contents. {NOTHING_DONE}"
            )
        return False
    # template0: template1 may hold extensions or objects the dump would collide with.
    server.run("createdb", ["--template=template0", database])
    return True


def _restore_database(server: Server, database: str, dump: Path, *, force: bool) -> None:
    # --single-transaction: all or nothing, so a failure leaves the database as it was.
    args = ["--no-owner", "--exit-on-error", "--single-transaction", "--dbname", database]
    if force:
        args += ["--clean", "--if-exists"]
    server.run("pg_restore", [*args, str(dump)])


def _verify_row_counts(server: Server, database: str, expected: dict[str, int]) -> dict[str, int]:
    with server.connect(database) as conn:
        actual = row_counts(conn)
    wrong = [table for table, count in expected.items() if actual.get(table) != count]
    if wrong:
        raise CommandError(
            f'The restored database "{database}" differs from the manifest in {len(wrong)} '
            f"tables (e.g. {wrong[0]}: {actual.get(wrong[0])} rows, expected "
            f"{expected[wrong[0]]})."
        )
    return {table: actual[table] for table in expected}
