"""`manage.py benchmark_cases`: server time and queries of the case list and case detail.

Meant for a database filled by `seed_scale`. For a police officer, an SSP consultant and a
school team leader it requests the case list (25 rows) and a case page through Django's test
client, so middleware, permission filtering, the access log and the template all count, and
prints the median and 95th percentile. It then times the list's database work with and
without permission filtering: the same 25 rows and count, once through `cases_visible_to`,
once over all cases.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.paginator import Paginator
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases import permissions, selectors
from cases.models import Case
from devtools.benchmark import scale_personas, signed_in_client


def _timed(action: Callable[[], Any], runs: int) -> list[float]:
    action()  # warm caches and connections
    durations = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        durations.append((time.perf_counter() - started) * 1000)
    return durations


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18]


class Command(BaseCommand):
    help = "Benchmark the case list and case page at scale (run after seed_scale)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--runs", type=int, default=50)

    def handle(self, *args: Any, **options: Any) -> None:
        runs = options["runs"]
        personas = scale_personas()
        self.stdout.write(f"cases in database: {Case.objects.count():,}; runs per figure: {runs}")
        self.stdout.write(
            "| user | visible cases | list median ms | list p95 ms | list queries "
            "| detail median ms | detail p95 ms | detail queries |"
        )
        self.stdout.write("|---|---|---|---|---|---|---|---|")
        for label, user in personas:
            visible = permissions.cases_visible_to(user)
            case = visible.order_by("-updated_at").first()
            client = signed_in_client(user)
            list_url = reverse("cases:case_list")
            detail_url = reverse("cases:case_detail", args=[case.pk])
            list_times = _timed(lambda c=client, u=list_url: self._get(c, u), runs)
            detail_times = _timed(lambda c=client, u=detail_url: self._get(c, u), runs)
            list_queries = self._queries(client, list_url)
            detail_queries = self._queries(client, detail_url)
            self.stdout.write(
                f"| {label} | {visible.count():,} | {statistics.median(list_times):.1f} "
                f"| {_p95(list_times):.1f} | {list_queries} "
                f"| {statistics.median(detail_times):.1f} | {_p95(detail_times):.1f} "
                f"| {detail_queries} |"
            )
        self.stdout.write("")
        self.stdout.write("| user | filtered list median ms | unfiltered list median ms | ratio |")
        self.stdout.write("|---|---|---|---|")
        unfiltered = _timed(lambda: self._page(Case.objects.all()), runs)
        for label, user in personas:
            filtered = _timed(
                lambda user=user: self._page(
                    selectors.case_list(user=user, filters=selectors.CaseFilters())
                ),
                runs,
            )
            ratio = statistics.median(filtered) / statistics.median(unfiltered)
            self.stdout.write(
                f"| {label} | {statistics.median(filtered):.1f} "
                f"| {statistics.median(unfiltered):.1f} | {ratio:.2f} |"
            )

    @staticmethod
    def _get(client: Client, url: str) -> None:
        response = client.get(url)
        if response.status_code != 200:
            raise CommandError(f"{url} answered {response.status_code}")

    @staticmethod
    def _queries(client: Client, url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        return len(queries)

    @staticmethod
    def _page(cases: Any) -> None:
        """The list's database work: one page of 25 with its relations, and the total count."""
        ordered = cases.select_related("young_person", "responsible_body", "coordinator")
        page = Paginator(ordered.order_by("-updated_at", "-id"), 25).page(1)
        list(page.object_list)
        page.paginator.count  # noqa: B018
