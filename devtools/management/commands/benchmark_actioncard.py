"""`manage.py benchmark_actioncard`: render an ActionCard with 300 actors and 40 school teams,
and compare the app with bare WeasyPrint on the same HTML.

It creates a throw-away municipality (`Benchmarkkommune`, code 990) with a forum of N
actors and M school teams of five members each, starts a draft edition from it, and then, in
fresh subprocesses so that each peak memory figure is its own, alternately:

- app: `actioncard.rendering.edition_pdf(edition)` (context, templates, org chart, WeasyPrint),
- bare: `weasyprint.HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")` on the HTML the app
  produced, with nothing of the app in the process.

It reports the median time and peak RSS of each, and the app's overhead, and removes what it
created. Run it against a development database, never production.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from actioncard import rendering, services
from actioncard.models import Edition
from forum import services as forum_services
from forum.models import Body, BodyKind, Municipality, Person, PoliceDistrict, Unit
from ssp.models import Sector, User

CODE = "990"
SECTORS = [sector.value for sector in Sector]
BARE = """
import json, resource, sys, time
from weasyprint import HTML
html = open(sys.argv[1], encoding="utf-8").read()
started = time.perf_counter()
pdf = HTML(string=html).write_pdf(pdf_variant=sys.argv[2])
seconds = time.perf_counter() - started
rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "rss_mb": rss_mb, "bytes": len(pdf)}))
"""


class Command(BaseCommand):
    help = "Render a large ActionCard; compare with bare WeasyPrint; report time and memory."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--actors", type=int, default=300)
        parser.add_argument("--teams", type=int, default=40)
        parser.add_argument("--runs", type=int, default=3)
        # Internal: render the edition in this process and print the figures as JSON.
        parser.add_argument("--child-edition", type=int, help="(internal)")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("benchmark_actioncard refuses to run in production.")
        if options["child_edition"]:
            self._child(options["child_edition"])
            return
        self._cleanup()
        edition = self._edition(options["actors"], options["teams"])
        try:
            self._compare(edition, options["runs"])
        finally:
            self._cleanup()

    def _child(self, edition_id: int) -> None:
        edition = Edition.objects.select_related("municipality").get(pk=edition_id)
        started = time.perf_counter()
        pdf = rendering.edition_pdf(edition)
        seconds = time.perf_counter() - started
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(json.dumps({"seconds": seconds, "rss_mb": rss_mb, "bytes": len(pdf)}))

    @transaction.atomic
    def _edition(self, actors: int, teams: int) -> Edition:
        started = time.perf_counter()
        district = PoliceDistrict.objects.create(name="Benchmarkkredsen")
        municipality = Municipality.objects.create(
            name="Benchmarkkommune", code=CODE, police_district=district
        )
        council = forum_services.body_create(
            kind=BodyKind.LOKALRAAD, name="Lokalrådet i Benchmarkkommune", municipality=municipality
        )
        forum = forum_services.body_create(
            kind=BodyKind.SSP_FORUM,
            name="SSP-Forum Benchmarkkommune",
            municipality=municipality,
            parent=council,
            meeting_rhythm="Mødes en gang om året i april.",
        )
        units = [
            Unit.objects.create(
                municipality=municipality,
                name=f"Enhed {index}",
                sector=SECTORS[index % len(SECTORS)],
                address=f"Benchmarkvej {index}, 9999 Benchmark",
                phone="+45 70 00 00 00",
            )
            for index in range(40)
        ]
        people = [
            forum_services.person_create(
                municipality=municipality,
                full_name=f"Aktør {index:03d} Æblegaard-Østergård",
                job_title="Medarbejder",
                sector=SECTORS[index % len(SECTORS)],
                unit=units[index % len(units)],
                email=f"aktoer{index}@benchmark.invalid",
                phone=f"+45 70 {index // 100:02d} {index % 100:02d} 00",
            )
            for index in range(actors)
        ]
        for person in people:
            forum_services.membership_add(body=forum, person=person, by=None)
        for index in range(teams):
            team = forum_services.body_create(
                kind=BodyKind.SCHOOL_TEAM,
                name=f"SSP-team Skole {index + 1}",
                municipality=municipality,
                parent=forum,
                unit=Unit.objects.create(
                    municipality=municipality,
                    name=f"Skole {index + 1}",
                    sector=Sector.SCHOOL,
                    address=f"Skolevej {index + 1}, 9999 Benchmark",
                    phone="+45 70 10 00 00",
                ),
                meeting_rhythm="Mødes i september og aftaler resten af skoleårets møder.",
            )
            for offset in range(5):
                person = people[(index * 5 + offset) % len(people)]
                role = "chair" if offset == 0 else "coordinator" if offset == 1 else "member"
                forum_services.membership_add(body=team, person=person, role=role, by=None)
        admin = User.objects.create_user(
            "benchmark-admin@benchmark.invalid", full_name="Benchmark", sector=Sector.OTHER
        )
        edition = services.edition_start(
            municipality=municipality, year=timezone.localdate().year, by=admin
        )
        self.stdout.write(
            f"Set up {actors} actors and {teams} teams in {time.perf_counter() - started:.1f} s"
        )
        return edition

    def _compare(self, edition: Edition, runs: int) -> None:
        html = rendering.pdf_html(edition)
        app: list[dict] = []
        bare: list[dict] = []
        with tempfile.TemporaryDirectory() as tmp:
            html_path = Path(tmp) / "actioncard.html"
            html_path.write_text(html, encoding="utf-8")
            for _ in range(runs):
                app.append(self._run_child(["--child-edition", str(edition.pk)]))
                bare.append(self._run_bare(html_path))
        app_seconds = statistics.median(run["seconds"] for run in app)
        bare_seconds = statistics.median(run["seconds"] for run in bare)
        self.stdout.write(f"PDF: {app[0]['bytes'] / 1024:.0f} KiB")
        for name, rows in (("app", app), ("bare WeasyPrint", bare)):
            times = " / ".join(f"{row['seconds']:.2f}" for row in rows)
            peaks = " / ".join(f"{row['rss_mb']:.0f}" for row in rows)
            self.stdout.write(f"{name}: {times} s; peak RSS {peaks} MB")
        self.stdout.write(
            f"Median: app {app_seconds:.2f} s, bare {bare_seconds:.2f} s, overhead "
            f"{(app_seconds / bare_seconds - 1) * 100:+.1f} %; peak RSS "
            f"{max(row['rss_mb'] for row in app):.0f} MB (app), "
            f"{max(row['rss_mb'] for row in bare):.0f} MB (bare)"
        )

    def _run_child(self, arguments: list[str]) -> dict:
        command = [sys.executable, "manage.py", "benchmark_actioncard", *arguments]
        output = subprocess.run(  # noqa: S603 - our own command
            command, check=True, capture_output=True, text=True, cwd=settings.BASE_DIR
        ).stdout
        return json.loads(output.strip().splitlines()[-1])

    def _run_bare(self, html_path: Path) -> dict:
        output = subprocess.run(  # noqa: S603 - our own command
            [sys.executable, "-c", BARE, str(html_path), rendering.PDF_VARIANT],
            check=True,
            capture_output=True,
            text=True,
            env={**os.environ},
        ).stdout
        return json.loads(output.strip().splitlines()[-1])

    @transaction.atomic
    def _cleanup(self) -> None:
        municipality = Municipality.objects.filter(code=CODE).first()
        if municipality is None:
            return
        for edition in Edition.objects.filter(municipality=municipality):
            services.edition_discard(edition=edition)
        bodies = Body.objects.filter(municipality=municipality)
        while bodies.exists():  # leaves first: a parent is protected while it has children
            bodies.filter(children__isnull=True).delete()
        Person.objects.filter(municipality=municipality).delete()
        Unit.objects.filter(municipality=municipality).delete()
        User.objects.filter(email="benchmark-admin@benchmark.invalid").delete()
        district = municipality.police_district
        municipality.delete()
        district.delete()
