"""`manage.py benchmark_import`: time the preview and the confirmation of a municipality's
organisation imported from one spreadsheet (300 people, 40 school teams by default).

Each run works in a transaction it rolls back, so every run starts from the same empty
municipality (`Benchmarkimport`, code 989, from the Glostrup preset) and the database is left
as it was. Per run it measures, with the query count of each:

- upload: reading the file once to accept it (`import_upload`);
- preview: planning the whole file against the organisation (`import_plan`);
- confirm: planning again under the upload's lock and applying everything through
  `forum.services` in one transaction (`import_confirm`);
- second preview: the same file again, where every row is unchanged.

It reports the median of the runs. Run it against a development database, never production.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from devtools.benchmark import QueryTimer
from forum.models import PoliceDistrict
from forum.setup import municipality_create_from_preset
from orgimport import services
from orgimport.models import ImportKind
from orgimport.workbooks import sample_workbook
from ssp.models import Sector, User

CODE = "989"


class Rollback(Exception):
    """Leaves the run's transaction without keeping anything."""


class Command(BaseCommand):
    help = "Time the preview and confirmation of a 300-person, 40-team organisation import."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--people", type=int, default=300)
        parser.add_argument("--teams", type=int, default=40)
        parser.add_argument("--runs", type=int, default=5)

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("benchmark_import refuses to run in production.")
        content = sample_workbook(
            people=options["people"],
            teams=options["teams"],
            team_type="Skolens SSP-team",
            parent="SSP-Forum",
        )
        self.stdout.write(
            f"File: {options['people']} people, {options['teams']} teams, "
            f"{len(content) / 1024:.0f} KB (xlsx); {options['runs']} runs"
        )
        figures: dict[str, list[tuple[float, int]]] = {}
        for _run in range(options["runs"]):
            for step, measured in self._run(content).items():
                figures.setdefault(step, []).append(measured)
        for step, runs in figures.items():
            seconds = statistics.median(run[0] for run in runs)
            queries = statistics.median(run[1] for run in runs)
            self.stdout.write(f"{step:<16} median {seconds * 1000:8.0f} ms  {queries:6.0f} queries")

    def _run(self, content: bytes) -> dict[str, tuple[float, int]]:
        measured: dict[str, tuple[float, int]] = {}
        try:
            with transaction.atomic():
                district, _created = PoliceDistrict.objects.get_or_create(name="Benchmarkkredsen")
                municipality = municipality_create_from_preset(
                    preset="glostrup", name="Benchmarkimport", code=CODE, police_district=district
                )
                by = User.objects.create_user(
                    "import@benchmark.example", password=None, full_name="B", sector=Sector.OTHER
                )

                def upload() -> Any:
                    return services.import_upload(
                        municipality=municipality,
                        owner=by,
                        filename="benchmark.xlsx",
                        content=content,
                        kind=ImportKind.WORKBOOK,
                    )

                first = self._time(measured, "upload", upload)
                plan = self._time(
                    measured, "preview", lambda: services.import_plan(upload=first, by=by)
                )
                if plan.errors:
                    raise CommandError(f"The file was refused: {plan.errors[:5]}")
                self._time(
                    measured, "confirm", lambda: services.import_confirm(upload=first, by=by)
                )
                again = upload()
                plan = self._time(
                    measured, "second preview", lambda: services.import_plan(upload=again, by=by)
                )
                if plan.has_work:
                    raise CommandError("The second run would change something.")
                raise Rollback
        except Rollback:
            pass
        return measured

    def _time(
        self, measured: dict[str, tuple[float, int]], step: str, work: Callable[[], Any]
    ) -> Any:
        timer = QueryTimer()
        with connection.execute_wrapper(timer):
            started = time.perf_counter()
            result = work()
            measured[step] = (time.perf_counter() - started, timer.count)
        return result
