"""`manage.py benchmark_lists`: what the long lists cost as the rows a reader may see grow.

Meant for a database filled by `seed_scale` with its sized municipalities (`--sized
1000,100000`, next to base municipalities of 10,000 cases each). For one SSP consultant per
size (the consultant of each sized municipality, and `benchmark_cases`' consultant of a base
one) it requests, through Django's test client with DEBUG off, the case list (its first page
and the page its "next" link leads to), the triage queue, the access log, the case search,
my concerns, the concerns closed without a case, the actor directory and my meetings. Requests are
interleaved (round after round, each page as each user in turn), so a pause of the shared
machine falls on every size alike. It prints the median server time and the median time of
the page's queries (as the database driver saw them), and the ratio of the largest to the
smallest median per page: issue 18 asks for ≤ 1.3.
"""

from __future__ import annotations

import re
import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import reverse

from cases import permissions
from cases.models import Concern, ConcernStatus
from devtools.benchmark import QueryTimer, scale_personas, signed_in_client
from ssp.models import AuditEvent, User

NEXT_LINK = re.compile(r'href="(\?[^"]*)" rel="next"')
# The other long lists: (URL name, query). The searches: a name every young person of the
# seed has (the largest a search can be), a word of every concern's text, and a name nobody
# has (each part's matches read off the indexes: none).
LISTS = {
    "search (case list)": ("cases:case_list", "?q=Scale+ung"),
    "search, concern text": ("cases:case_list", "?q=stationen"),
    "search, no match": ("cases:case_list", "?q=Zebulon+Ingensteds"),
    "my concerns": ("cases:my_concerns", ""),
    "closed concerns": ("cases:triage_queue", "?vis=afsluttede"),
    "people (directory)": ("forum:directory", ""),
    "my meetings": ("meetings:my_meetings", ""),
}


class Command(BaseCommand):
    help = (
        "Benchmark the long lists (cases, triage, search, concerns, people, meetings, access log)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--runs", type=int, default=30)

    def handle(self, *args: Any, **options: Any) -> None:
        with override_settings(DEBUG=False):
            self._run(options["runs"])

    def _users(self) -> list[tuple[int, User]]:
        sized = User.objects.filter(email__startswith="sized-k", email__endswith="-ssp@scale.ssp")
        users = [dict(scale_personas())["SSP consultant"], *sized.order_by("pk")]
        if len(users) < 2:
            raise CommandError("No sized municipalities: run seed_scale with --sized first.")
        counted = [(permissions.cases_visible_to(user).count(), user) for user in users]
        return sorted(counted, key=lambda pair: pair[0])

    def _run(self, runs: int) -> None:
        users = self._users()
        pages: dict[str, dict[int, Callable[[], HttpResponse]]] = defaultdict(dict)
        self.stdout.write("| visible cases | new concerns | access-log rows |")
        self.stdout.write("|---|---|---|")
        for visible, user in users:
            client = signed_in_client(user)
            municipalities = list(
                permissions.municipalities_triaged_by(user).values_list("pk", flat=True)
            )
            new = Concern.objects.filter(
                municipality__in=municipalities, status=ConcernStatus.NEW
            ).count()
            logged = AuditEvent.objects.filter(municipality_id__in=municipalities).count()
            self.stdout.write(f"| {visible:,} | {new:,} | {logged:,} |")
            first = self._get(client, reverse("cases:case_list"))
            following = NEXT_LINK.search(first.content.decode())
            if following is None:
                raise CommandError("The case list has no next page.")
            second = reverse("cases:case_list") + following.group(1).replace("&amp;", "&")
            pages["case list, page 1"][visible] = lambda c=client: self._get(
                c, reverse("cases:case_list")
            )
            pages["case list, page 2"][visible] = lambda c=client, u=second: self._get(c, u)
            pages["triage queue"][visible] = lambda c=client: self._get(
                c, reverse("cases:triage_queue")
            )
            pages["access log"][visible] = lambda c=client: self._get(
                c, reverse("cases:audit_search")
            )
            for page, url in LISTS.items():
                pages[page][visible] = lambda c=client, u=url: self._get(c, reverse(u[0]) + u[1])
        server: dict[tuple[str, int], list[float]] = defaultdict(list)
        sql: dict[tuple[str, int], list[float]] = defaultdict(list)
        queries: dict[tuple[str, int], int] = {}
        for by_size in pages.values():
            for request in by_size.values():
                request()  # warm caches and connections
        for _ in range(runs):
            for page, by_size in pages.items():
                for visible, request in by_size.items():
                    timer = QueryTimer()
                    with connection.execute_wrapper(timer):
                        started = time.perf_counter()
                        request()
                        elapsed = (time.perf_counter() - started) * 1000
                    server[page, visible].append(elapsed)
                    sql[page, visible].append(timer.total * 1000)
                    queries[page, visible] = timer.count
        sizes = [visible for visible, _user in users]
        self.stdout.write("")
        self.stdout.write(f"runs per figure: {runs}, interleaved; median ms (SQL ms, queries)")
        header = " | ".join(f"{size:,} visible" for size in sizes)
        self.stdout.write(f"| page | {header} | largest / smallest |")
        self.stdout.write("|---|" + "---|" * len(sizes) + "---|")
        for page in pages:
            medians = [statistics.median(server[page, size]) for size in sizes]
            cells = " | ".join(
                f"{statistics.median(server[page, size]):.1f} "
                f"({statistics.median(sql[page, size]):.1f}, {queries[page, size]})"
                for size in sizes
            )
            self.stdout.write(f"| {page} | {cells} | {max(medians) / min(medians):.2f} |")

    @staticmethod
    def _get(client: Client, url: str) -> HttpResponse:
        response = client.get(url)
        if response.status_code != 200:
            raise CommandError(f"{url} answered {response.status_code}")
        return response
