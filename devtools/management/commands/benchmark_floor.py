"""`manage.py benchmark_floor`: what every signed-in page costs before it does its own work.

For each user it requests, through Django's test client with DEBUG off, the session
keep-alive (signed in, nothing rendered) and the accessibility statement (the layout and the
main menu only), interleaved round after round, and prints the median and 95th percentile in
milliseconds, the median time of the queries as the driver saw them and the number of
queries. The users are the demo's personas when the demo is loaded (SSP consultant, police
officer, school team chair, administrator), otherwise `benchmark_cases`' three users of the
scale data; `--users` names others by email. `--profile` adds cProfile's heaviest functions of
the layout-only page per user, for finding where the floor goes.
"""

from __future__ import annotations

import cProfile
import io
import pstats
import statistics
import time
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import reverse

from devtools.benchmark import QueryTimer, keepalive, scale_personas, signed_in_client
from ssp.models import User

# The demo's personas (`seed_demo`), one of each kind the floor differs for.
DEMO_PERSONAS = (
    ("SSP consultant", "konsulent@demo.ssp"),
    ("police officer", "politi@demo.ssp"),
    ("school team chair", "leder@demo.ssp"),
    ("administrator", "admin@demo.ssp"),
)


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18]


class Command(BaseCommand):
    help = "Benchmark the floor of every signed-in page (session, middleware, layout, menu)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--runs", type=int, default=300)
        parser.add_argument("--users", default="", help="Comma-separated emails.")
        parser.add_argument("--profile", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["runs"] < 2:
            raise CommandError("--runs must be at least 2 for a 95th percentile.")
        with override_settings(DEBUG=False):
            self._run(self._users(options["users"]), options["runs"], options["profile"])

    @staticmethod
    def _users(emails: str) -> list[tuple[str, User]]:
        if emails:
            named = [email.strip() for email in emails.split(",") if email.strip()]
            users = {user.email: user for user in User.objects.filter(email__in=named)}
            missing = [email for email in named if email not in users]
            if missing:
                raise CommandError(f"No such users: {', '.join(missing)}")
            return [(email, users[email]) for email in named]
        demo = {u.email: u for u in User.objects.filter(email__in=[e for _, e in DEMO_PERSONAS])}
        if len(demo) == len(DEMO_PERSONAS):
            return [(label, demo[email]) for label, email in DEMO_PERSONAS]
        return scale_personas()

    def _run(self, users: list[tuple[str, User]], runs: int, profile: bool) -> None:
        pages: list[tuple[str, str, Callable[[], HttpResponse]]] = []
        for label, user in users:
            client = signed_in_client(user)
            pages += [
                (label, "signed in, no page", lambda c=client: keepalive(c)),
                (label, "layout only", lambda c=client: self._layout(c)),
            ]
        for _label, _page, request in pages:
            for _ in range(5):
                request()  # warm caches, compiled templates and the connection
        server: list[list[float]] = [[] for _page in pages]
        sql: list[list[float]] = [[] for _page in pages]
        queries = [0 for _page in pages]
        profiles = {label: cProfile.Profile() for label, _user in users}
        for _ in range(runs):
            for index, (_label, _page, request) in enumerate(pages):
                timer = QueryTimer()
                with connection.execute_wrapper(timer):
                    started = time.perf_counter()
                    request()
                    server[index].append((time.perf_counter() - started) * 1000)
                sql[index].append(timer.total * 1000)
                queries[index] = timer.count
        if profile:
            # Profiled apart from the timed rounds: the profiler slows what it watches.
            for label, page, request in pages:
                if page == "layout only":
                    profiles[label].runcall(lambda r=request: [r() for _ in range(runs)])
        self.stdout.write(f"runs per figure: {runs}")
        self.stdout.write("| user | request | median ms | p95 ms | SQL median ms | queries |")
        self.stdout.write("|---|---|---|---|---|---|")
        for index, (label, page, _request) in enumerate(pages):
            self.stdout.write(
                f"| {label} | {page} | {statistics.median(server[index]):.2f} "
                f"| {_p95(server[index]):.2f} | {statistics.median(sql[index]):.2f} "
                f"| {queries[index]} |"
            )
        if profile:
            for label, prof in profiles.items():
                out = io.StringIO()
                pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(40)
                self.stdout.write(f"\n### {label}: layout only, cProfile\n{out.getvalue()}")

    @staticmethod
    def _layout(client: Client) -> HttpResponse:
        response = client.get(reverse("accessibility"))
        if response.status_code != 200:
            raise CommandError(f"The accessibility statement answered {response.status_code}")
        return response
