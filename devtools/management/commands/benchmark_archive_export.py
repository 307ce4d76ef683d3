"""`manage.py benchmark_archive_export`: how long the export of the demo municipality takes.

Run after `seed_demo`. Builds Glostrup's archive (organisation, meetings, ActionCards,
prevention, statistics; `--cases` adds the cases) the way the worker does, `--runs` times,
and prints the median and the slowest run, the archive's size and its members. The scrypt
key derivation happens once, in the request, and is timed on its own.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from archive import crypto
from archive.members import BASE_SCOPES, CASES
from archive.writer import archive_write
from forum.models import Affiliation, Municipality


class Command(BaseCommand):
    help = "Time the export of the demo municipality's archive (run after seed_demo)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--runs", type=int, default=7)
        parser.add_argument("--code", default="161", help="the municipality's code (Glostrup)")
        parser.add_argument("--cases", action="store_true", help="include the cases")

    def handle(self, *args: Any, **options: Any) -> None:
        municipality = Municipality.objects.filter(code=options["code"]).first()
        if municipality is None:
            raise CommandError(f"No municipality {options['code']}: run seed_demo first.")
        admin = (
            Affiliation.objects.filter(municipality=municipality, is_administrator=True)
            .select_related("user")
            .first()
        )
        if admin is None:
            raise CommandError("The municipality has no administrator.")
        scopes = (*BASE_SCOPES, CASES) if options["cases"] else BASE_SCOPES
        kdf = crypto.KdfParameters.fresh()
        started = time.perf_counter()
        key = crypto.derive_key("benchmark passphrase words", kdf)
        kdf_ms = (time.perf_counter() - started) * 1000
        timings: list[float] = []
        written = None
        for _run in range(options["runs"]):
            started = time.perf_counter()
            written = archive_write(
                municipality=municipality,
                scopes=scopes,
                key=key,
                kdf=kdf,
                created_by_role="administrator",
                statistics_user=admin.user,
                installation="benchmark",
            )
            timings.append((time.perf_counter() - started) * 1000)
        assert written is not None  # noqa: S101 - at least one run
        rows = sum(entry.get("rows", 0) for entry in written.manifest["members"])
        self.stdout.write(
            f"{municipality.name}: scopes {', '.join(scopes)}; {options['runs']} runs\n"
            f"scrypt key derivation: {kdf_ms:.0f} ms (once per export, in the request)\n"
            f"export median {statistics.median(timings):.0f} ms, slowest {max(timings):.0f} ms\n"
            f"archive {len(written.data) / 1024:.0f} KiB, {len(written.manifest['members'])} "
            f"members, {rows} rows"
        )
