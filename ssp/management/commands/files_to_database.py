"""`manage.py files_to_database`: copy files left under PRIVATE_MEDIA_ROOT into the database.

The migration that moved stored files into PostgreSQL (ssp 0011) copied what was there then;
this copies what a node still running the old code wrote during the upgrade. A file already in
the database is skipped; with --delete the copied files are removed from disk afterwards.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from ssp.storage import private_storage


class Command(BaseCommand):
    help = "Copy stored files left on this node's disk (PRIVATE_MEDIA_ROOT) into the database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--delete", action="store_true", help="Remove them from disk after.")

    def handle(self, *args: Any, **options: Any) -> None:
        root = Path(settings.PRIVATE_MEDIA_ROOT)
        storage = private_storage()
        copied = skipped = 0
        paths = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else []
        for path in paths:
            name = path.relative_to(root).as_posix()
            if storage.exists(name):
                skipped += 1
            else:
                with transaction.atomic(), path.open("rb") as handle:
                    storage._save(name, File(handle))
                copied += 1
            if options["delete"]:
                path.unlink()
        self.stdout.write(f"Copied {copied} file(s) into the database, {skipped} already there.")
