"""`manage.py archive_import ARCHIVE`: recreate a municipality from its archive here.

The passphrase comes from `ARCHIVE_PASSPHRASE` or is asked for (never on the command line,
where it would stay in the shell's history). The archive's format version, every member's
checksum and the passphrase are checked before anything is written; then the whole import is
one transaction.
"""

from __future__ import annotations

import getpass
import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from archive.importer import archive_import
from archive.reader import ArchiveRefused, archive_open

PASSPHRASE_ENV = "ARCHIVE_PASSPHRASE"  # noqa: S105 - the variable's name, not a secret


class Command(BaseCommand):
    help = "Import a municipality's archive (docs/archive.md) into this installation."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="the .zip made by 'Eksport af kommunens data'")

    def handle(self, *args: Any, **options: Any) -> None:
        passphrase = os.environ.get(PASSPHRASE_ENV) or getpass.getpass("Passphrase: ")
        try:
            opened = archive_open(options["archive"], passphrase)
            result = archive_import(archive=opened)
        except ArchiveRefused as refused:
            raise CommandError(f"{refused}") from None
        municipality = result.municipality
        self.stdout.write(
            self.style.SUCCESS(f"Imported {municipality.name} ({municipality.code}).")
        )
        for name, count in result.counts.items():
            self.stdout.write(f"  {name}: {count}")
        self.stdout.write(f"  new user accounts (no password yet): {result.users_created}")
        for name, count in sorted(result.skipped.items()):
            self.stdout.write(
                self.style.WARNING(f"  {name}: {count} left out (they refer to what is not here)")
            )
