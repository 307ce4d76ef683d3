"""`manage.py benchmark_statistics`: server time of the statistics page at national scale.

Meant for a database filled by `seed_scale` (1,000,000 cases in 100 municipalities).
For an SSP consultant (the whole municipality) and a police officer (only what they were given)
it requests the statistics page of their municipality for the last twelve months through
Django's test client, so middleware, the permission scope, every aggregate query, the charts
and the template all count, and prints the median, 95th percentile and the number of queries.
It also times the CSV export.
"""

from __future__ import annotations

import statistics
import time
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from devtools.benchmark import signed_in_client
from forum.models import Affiliation
from ssp.models import User


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18]


class Command(BaseCommand):
    help = "Benchmark the statistics page at scale (run after seed_scale)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--runs", type=int, default=30)

    def handle(self, *args: Any, **options: Any) -> None:
        runs = options["runs"]
        today = timezone.localdate()
        query = {"fra": (today - timedelta(days=365)).isoformat(), "til": today.isoformat()}
        self.stdout.write(f"cases in database: {Case.objects.count():,}; runs per figure: {runs}")
        self.stdout.write("| user | page | median ms | p95 ms | queries |")
        self.stdout.write("|---|---|---|---|---|")
        for label, user in self._personas():
            municipality_id = Affiliation.objects.filter(user=user).values_list(
                "municipality_id", flat=True
            )[0]
            client = signed_in_client(user)
            for page, name in (("statistics", "page"), ("statistics_csv", "CSV")):
                url = reverse(f"reports:{page}", kwargs={"municipality_id": municipality_id})
                durations = self._timed(client, url, query, runs)
                with CaptureQueriesContext(connection) as queries:
                    client.get(url, query)
                self.stdout.write(
                    f"| {label} | {name} | {statistics.median(durations):.0f} "
                    f"| {_p95(durations):.0f} | {len(queries)} |"
                )

    @staticmethod
    def _timed(client: Client, url: str, query: dict, runs: int) -> list[float]:
        response = client.get(url, query)  # warm caches and connections
        if response.status_code != 200:
            raise CommandError(f"{url} answered {response.status_code}")
        durations = []
        for _ in range(runs):
            started = time.perf_counter()
            client.get(url, query)
            durations.append((time.perf_counter() - started) * 1000)
        return durations

    def _personas(self) -> list[tuple[str, User]]:
        scale = User.objects.filter(email__endswith="@scale.ssp")
        consultant = scale.filter(affiliations__is_ssp_consultant=True).order_by("pk").first()
        police = scale.filter(sector="police").order_by("pk").first()
        if consultant is None or police is None:
            raise CommandError("No scale data: run `manage.py seed_scale` on this database first.")
        return [("SSP consultant", consultant), ("police officer", police)]
