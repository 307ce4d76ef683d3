"""`manage.py benchmark_form_pages`: form pages with their widgets written in Python and with
Django's widget templates, interleaved.

Meant for the demo database (`seed_demo`). The concern form (as the demo's club worker and SSP
consultant) and the organisation's body and unit forms (as the demo's administrator) are
requested through Django's test client with DEBUG off, each once with the stock widgets written
by `ssp.widget_rendering` and once by their templates, round after round, next to the layout
floor (the accessibility statement). It prints per page the median server time, SQL time and
queries of both ways, and the median over its SQL time plus the layout floor (issue 18 asks
for ≤ 2).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse

import ssp.forms
from devtools.benchmark import QueryTimer, signed_in_client
from forum.models import Municipality
from ssp.models import User

WAYS = ("python", "templates")


class Command(BaseCommand):
    help = "Form pages with widgets in Python and by templates, interleaved (demo data)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--runs", type=int, default=30)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["runs"] < 1:
            raise CommandError("--runs must be at least 1.")
        with override_settings(DEBUG=False):
            self._run(options["runs"])

    def _run(self, runs: int) -> None:
        glostrup = Municipality.objects.filter(code="161").first()
        users = {
            email: User.objects.filter(email=email).first()
            for email in ("klub@demo.ssp", "konsulent@demo.ssp", "admin@demo.ssp")
        }
        if glostrup is None or None in users.values():
            raise CommandError("No demo data: run `manage.py seed_demo` on this database first.")
        clients = {email: signed_in_client(user) for email, user in users.items()}  # type: ignore[arg-type]
        pages = [
            ("club worker", "concern form", "klub@demo.ssp", reverse("cases:concern_create")),
            (
                "SSP consultant",
                "concern form",
                "konsulent@demo.ssp",
                reverse("cases:concern_create"),
            ),
            (
                "administrator",
                "body form",
                "admin@demo.ssp",
                reverse("forum:body_create", args=[glostrup.pk]),
            ),
            (
                "administrator",
                "unit form",
                "admin@demo.ssp",
                reverse("forum:unit_create", args=[glostrup.pk]),
            ),
            (
                "SSP consultant",
                "floor: layout only",
                "konsulent@demo.ssp",
                reverse("accessibility"),
            ),
        ]
        server: dict[tuple[int, str], list[float]] = {}
        sql: dict[tuple[int, str], list[float]] = {}
        queries: dict[tuple[int, str], int] = {}
        for _round in range(runs + 1):  # the first round warms caches and is not counted
            for index, (_user, _page, email, url) in enumerate(pages):
                for way in WAYS:
                    elapsed, sql_ms, count = self._timed(clients[email], url, way)
                    if _round:
                        server.setdefault((index, way), []).append(elapsed)
                        sql.setdefault((index, way), []).append(sql_ms)
                        queries[index, way] = count
        floor_index = len(pages) - 1
        self.stdout.write(
            "| user | page | widgets | median ms | SQL median ms | queries "
            "| median / (SQL + layout floor) |"
        )
        self.stdout.write("|---|---|---|---|---|---|---|")
        for index, (user, page, _email, _url) in enumerate(pages):
            for way in WAYS:
                floor = statistics.median(server[floor_index, way])
                median = statistics.median(server[index, way])
                sql_median = statistics.median(sql[index, way])
                self.stdout.write(
                    f"| {user} | {page} | {way} | {median:.1f} | {sql_median:.1f} "
                    f"| {queries[index, way]} | {median / (sql_median + floor):.2f} |"
                )

    @staticmethod
    def _timed(client: Client, url: str, way: str) -> tuple[float, float, int]:
        real = ssp.forms.render_in_python
        if way == "templates":
            ssp.forms.render_in_python = _no_python  # type: ignore[assignment]
        try:
            timer = QueryTimer()
            with connection.execute_wrapper(timer):
                started = time.perf_counter()
                response = client.get(url)
                elapsed = (time.perf_counter() - started) * 1000
        finally:
            ssp.forms.render_in_python = real
        if response.status_code != 200:
            raise CommandError(f"{url} answered {response.status_code}")
        return elapsed, timer.total * 1000, timer.count


_no_python: Callable[[str, Any], None] = lambda template_name, context: None  # noqa: E731
