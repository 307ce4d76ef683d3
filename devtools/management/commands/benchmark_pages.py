"""`manage.py benchmark_pages`: server time and queries of the load test's pages at scale.

Meant for a database filled by `seed_scale`. For a police officer, an SSP consultant
(who sees a whole municipality) and a school team leader, the users `benchmark_cases` picks, it
requests each page of the load test's working day through Django's test client with DEBUG
off, so middleware, sessions, permission filtering, the access log and the templates all
count: the front page, the case list, a visible case (cycling through the cases on the first
page of the list, as the load test does), the concern form, a submitted concern and the user's
meetings. The submission runs inside a transaction that is rolled back, so the scale data stays
as it was (and nothing is sent after commit). Two floor rows show what any signed-in request
costs: one with no page (the session keep-alive) and one with only the layout (the
accessibility statement). Requests are interleaved (every page once per round). It prints,
per page and user, the median and 95th percentile in milliseconds, the median time of its
queries as the database driver saw them, the number of queries, and the median over its SQL
time plus the layout floor (issue 18 asks for ≤ 2).
"""

from __future__ import annotations

import itertools
import re
import statistics
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from devtools.benchmark import QueryTimer, keepalive, scale_personas, signed_in_client

# What a sign-in with a second factor leaves in the session (`ssp.two_factor`); without it the
# two-factor middleware sends the client to the login page.
CASE_LINK = re.compile(r'href="/sager/(\d+)/"')
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')
FIRST_OPTION = r'<select name="{}"[^>]*>.*?<option value="(\d+)"'
# A choice offered as radio buttons (the concern's category).
FIRST_RADIO = r'<input type="radio" name="{}" value="(\d+)"'
# The user whose rows also show the floor every signed-in request stands on.
FLOOR_USER = "SSP consultant"


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18]


class _RolledBack(Exception):
    """Raised to roll back the transaction around a timed submission."""


class Command(BaseCommand):
    help = "Benchmark the load test's pages at scale (run after seed_scale)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--runs", type=int, default=30)

    def handle(self, *args: Any, **options: Any) -> None:
        runs = options["runs"]
        if runs < 2:
            raise CommandError("--runs must be at least 2 for a 95th percentile.")
        with override_settings(DEBUG=False):
            self._run(runs)

    def _run(self, runs: int) -> None:
        self.stdout.write(f"cases in database: {Case.objects.count():,}; runs per figure: {runs}")
        pages: list[tuple[str, str, Callable[[], HttpResponse]]] = []
        for label, user in scale_personas():
            client = signed_in_client(user)
            list_html = self._get(client, reverse("cases:case_list")).content.decode()
            case_ids = itertools.cycle(CASE_LINK.findall(list_html))
            concern = self._concern(client)
            named: list[tuple[str, Callable[[], HttpResponse]]] = [
                ("front page", lambda c=client: self._get(c, reverse("dashboard"))),
                ("case list", lambda c=client: self._get(c, reverse("cases:case_list"))),
                ("case page", lambda c=client, ids=case_ids: self._case(c, ids)),
                ("concern form", lambda c=client: self._get(c, reverse("cases:concern_create"))),
                ("concern submitted", lambda c=client, d=concern: self._submit(c, d)),
                ("my meetings", lambda c=client: self._get(c, reverse("meetings:my_meetings"))),
            ]
            if label == FLOOR_USER:
                named += [
                    # What every signed-in request costs before a page does any work of its
                    # own (session, user, middleware, access log context), and with the layout.
                    ("floor: signed in, no page", lambda c=client: keepalive(c)),
                    ("floor: layout only", lambda c=client: self._get(c, reverse("accessibility"))),
                ]
            pages += [(label, page, request) for page, request in named]
        server: list[list[float]] = [[] for _page in pages]
        sql: list[list[float]] = [[] for _page in pages]
        queries = [0 for _page in pages]
        for _label, _page, request in pages:
            request()  # warm caches and connections
        # Interleaved: round after round, every page once, so a pause of the shared machine
        # falls on all pages alike instead of on the one measured at that moment.
        for _ in range(runs):
            for index, (_label, _page, request) in enumerate(pages):
                timer = QueryTimer()
                with connection.execute_wrapper(timer):
                    started = time.perf_counter()
                    request()
                    server[index].append((time.perf_counter() - started) * 1000)
                sql[index].append(timer.total * 1000)
                queries[index] = timer.count
        floor = next(
            statistics.median(server[index])
            for index, (_label, page, _request) in enumerate(pages)
            if page == "floor: layout only"
        )
        self.stdout.write(
            "| user | page | median ms | p95 ms | SQL median ms | queries "
            "| median / (SQL + layout floor) |"
        )
        self.stdout.write("|---|---|---|---|---|---|---|")
        for index, (label, page, _request) in enumerate(pages):
            median, sql_median = statistics.median(server[index]), statistics.median(sql[index])
            self.stdout.write(
                f"| {label} | {page} | {median:.1f} | {_p95(server[index]):.1f} "
                f"| {sql_median:.1f} | {queries[index]} | {median / (sql_median + floor):.2f} |"
            )

    @staticmethod
    def _get(client: Client, url: str) -> HttpResponse:
        response = client.get(url)
        if response.status_code != 200:
            raise CommandError(f"{url} answered {response.status_code}")
        return response

    def _case(self, client: Client, case_ids: Iterator[str]) -> HttpResponse:
        pk = next(case_ids, None)
        if pk is None:
            raise CommandError("The case list shows no case to open.")
        return self._get(client, reverse("cases:case_detail", args=[int(pk)]))

    def _concern(self, client: Client) -> dict[str, str]:
        """The concern form filled in as the load test does. Every submission with it is rolled
        back, so its submission token can be used again."""
        html = self._get(client, reverse("cases:concern_create")).content.decode()
        return {
            # A user of several municipalities chooses one (the form's first, preselected).
            "municipality": self._first_option(html, "municipality"),
            **dict(HIDDEN.findall(html)),
            "subject_kind": "place",
            "subject_description": "Stationspladsen",
            "category": self._first_option(html, "category"),
            # Not the load test's words: a concern it left with the same text would be taken
            # for this form sent again (`cases.submissions`) and answered without a submission.
            "description": f"Uro ved stationen om aftenen (måling {uuid.uuid4().hex[:8]}).",
            "observed_on": timezone.localdate().isoformat(),
            "urgency": "normal",
            "notification_status": "not_relevant",
        }

    @staticmethod
    def _first_option(html: str, field: str) -> str:
        match = re.search(FIRST_OPTION.format(field), html, re.DOTALL) or re.search(
            FIRST_RADIO.format(field), html
        )
        return match.group(1) if match else ""

    @staticmethod
    def _submit(client: Client, data: dict[str, str]) -> HttpResponse:
        """Post the concern and roll the transaction back."""
        try:
            with transaction.atomic():
                response = client.post(reverse("cases:concern_create"), data)
                if response.status_code != 302:
                    raise CommandError(f"The concern was refused ({response.status_code}).")
                raise _RolledBack
        except _RolledBack:
            pass
        return response
