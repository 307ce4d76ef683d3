"""`manage.py benchmark_prevention_account`: server time of the prevention account at national
scale.

Meant for a database filled by `seed_scale` (2,000,000 prevention activities in 100
municipalities). For an SSP consultant (the whole municipality) and a police officer (only the
bodies whose work they read) it requests the account of their municipality for the last twelve
months through Django's test client (middleware, the permission scope, every query, the charts
and the template count), and, interleaved with each request, runs the account's grouped query
alone as raw SQL on the same connection, so the two are measured under the same load. It prints
medians, 95th percentiles and the number of queries; the CSV export is timed too.
"""

from __future__ import annotations

import statistics
import time
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from devtools.benchmark import signed_in_client
from forum.models import Affiliation
from prevention.models import Activity
from reports import figures, permissions, prevention_account
from ssp.models import User


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


class Command(BaseCommand):
    help = "Benchmark the prevention account at scale (run after seed_scale)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--runs", type=int, default=30)

    def handle(self, *args: Any, **options: Any) -> None:
        runs = options["runs"]
        today = timezone.localdate()
        start = today - timedelta(days=365)
        query = {"fra": start.isoformat(), "til": today.isoformat()}
        self.stdout.write(
            f"activities in database: {Activity.objects.count():,}; runs per figure: {runs}"
        )
        self.stdout.write(
            "| user | activities counted | page median ms | page p95 ms | page queries "
            "| CSV median ms | CSV p95 ms | raw SQL median ms | raw SQL p95 ms |"
        )
        self.stdout.write("|---|---|---|---|---|---|---|---|---|")
        for label, user in self._personas():
            municipality_id = Affiliation.objects.filter(user=user).values_list(
                "municipality_id", flat=True
            )[0]
            municipality, full = permissions.statistics_scope_or_404(user, municipality_id)
            scope = figures.Scope(user=user, municipality=municipality, full=full)
            rows = prevention_account.activities(scope, figures.Filters(start=start, end=today))
            sql, params = prevention_account.grouped_queryset(rows).query.sql_with_params()
            counted = rows.count()
            client = signed_in_client(user)
            kwargs = {"municipality_id": municipality_id}
            page_url = reverse("reports:prevention_account", kwargs=kwargs)
            csv_url = reverse("reports:prevention_account_csv", kwargs=kwargs)
            for url in (page_url, csv_url):  # warm caches and connections
                if client.get(url, query).status_code != 200:
                    raise CommandError(f"{url} answered not 200")
            page, csv, raw = [], [], []
            for _ in range(runs):
                started = time.perf_counter()
                client.get(page_url, query)
                page.append(_ms(started))
                started = time.perf_counter()
                with connection.cursor() as cursor:
                    cursor.execute(sql, params)
                    cursor.fetchall()
                raw.append(_ms(started))
                started = time.perf_counter()
                client.get(csv_url, query)
                csv.append(_ms(started))
            with CaptureQueriesContext(connection) as queries:
                client.get(page_url, query)
            self.stdout.write(
                f"| {label} | {counted:,} | {statistics.median(page):.0f} | {_p95(page):.0f} "
                f"| {len(queries)} | {statistics.median(csv):.0f} | {_p95(csv):.0f} "
                f"| {statistics.median(raw):.1f} | {_p95(raw):.1f} |"
            )

    def _personas(self) -> list[tuple[str, User]]:
        scale = User.objects.filter(email__endswith="@scale.ssp")
        consultant = scale.filter(affiliations__is_ssp_consultant=True).order_by("pk").first()
        police = scale.filter(sector="police").order_by("pk").first()
        if consultant is None or police is None:
            raise CommandError("No scale data: run `manage.py seed_scale` on this database first.")
        return [("SSP consultant", consultant), ("police officer", police)]
