"""The triage queue and the concerns closed without a case a page at a time (issue 18): most
urgent first, "Næste" and "Forrige" by keyset, a capped count, so a page costs the same for
20 or 2,000 new concerns."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases import selectors
from cases.models import Concern, ConcernStatus, Urgency
from forum.models import Municipality
from tests.factories import ConcernFactory
from tests.personas import Personas

pytestmark = pytest.mark.django_db

QUEUE = "/bekymringer/visitation/"
CLOSED = "/bekymringer/visitation/?vis=afsluttede"


def _rows(response) -> list[int]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.status_code
    return [int(pk) for pk in re.findall(r'href="/bekymringer/(\d+)/"', response.content.decode())]


def _link(response, rel: str) -> str | None:  # type: ignore[no-untyped-def]
    found = re.search(rf'href="(\?[^"]*)" rel="{rel}"', response.content.decode())
    return QUEUE + found.group(1).replace("&amp;", "&") if found else None


def _walk(client: Client, address: str) -> tuple[list[list[int]], object]:
    pages: list[list[int]] = []
    response = None
    while address:
        response = client.get(address)
        pages.append(_rows(response))
        address = _link(response, "next")
    return pages, response


def _new_concerns(personas: Personas, count: int) -> list[Concern]:
    """`count` new concerns in Glostrup of mixed urgency; the first twelve submitted in the
    same instant (ties in urgency and time are broken by the id, never lost or shown twice)."""
    glostrup = Municipality.objects.get(code="161")
    urgencies = [Urgency.NORMAL, Urgency.SOON, Urgency.URGENT, Urgency.NORMAL]

    def concern(number: int) -> Concern:
        return ConcernFactory(
            municipality=glostrup,
            author=personas.club,
            urgency=urgencies[number % 4],
            young_person__full_name=f"Kø-Ung {number:02}",
        )

    with time_machine.travel(timezone.now(), tick=False):
        tied = [concern(number) for number in range(min(count, 12))]
    return tied + [concern(number) for number in range(12, count)]


def test_next_and_previous_walk_the_whole_queue_once_most_urgent_first(
    client: Client, personas: Personas
) -> None:
    _new_concerns(personas, 60)
    client.force_login(personas.consultant)
    expected = list(selectors.triage_queue(user=personas.consultant).values_list("pk", flat=True))
    assert len(expected) > 50

    pages, last = _walk(client, QUEUE)

    assert [pk for page in pages for pk in page] == expected
    assert all(len(page) == 25 for page in pages[:-1])
    urgencies = dict(Concern.objects.values_list("pk", "urgency"))
    assert urgencies[pages[0][0]] == Urgency.URGENT, "the most urgent concern comes first"
    back = _link(last, "prev")
    assert back is not None
    assert _rows(client.get(back)) == pages[-2]


def test_a_mangled_queue_address_shows_the_first_page(client: Client, personas: Personas) -> None:
    _new_concerns(personas, 30)
    client.force_login(personas.consultant)
    first = _rows(client.get(QUEUE))
    for junk in (
        "efter=x",
        "efter=urgent~2026-01-01~abc",
        "foer=~~",
        "efter=urgent~2026-01-01T00:00~5",
        "side=999",
        "foer=urgent~2026-01-01T00:00:00%2B00:00~-3",
    ):
        response = client.get(f"{QUEUE}?{junk}")
        assert _rows(response) == first, junk
        assert "Side 1" in response.content.decode(), junk


def test_the_queue_counts_no_further_than_a_thousand(client: Client, personas: Personas) -> None:
    _new_concerns(personas, 3)
    client.force_login(personas.consultant)
    client.get(QUEUE)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(QUEUE)

    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    # The rows' own subqueries count one young person's concerns and cases; the list's
    # count is the one outside them, capped.
    list_counts = [sql for sql in counts if not sql.lstrip().upper().startswith('SELECT "')]
    assert list_counts, "the queue says how many new concerns it holds"
    for sql in list_counts:
        assert "LIMIT 1001" in sql, sql
    waiting = selectors.triage_queue(user=personas.consultant).count()
    assert f"{waiting} nye bekymringer" in response.content.decode()


def test_the_closed_list_walks_every_closed_concern_once_and_keeps_its_filter(
    client: Client, personas: Personas
) -> None:
    concerns = _new_concerns(personas, 55)
    Concern.objects.filter(pk__in=[c.pk for c in concerns]).update(
        status=ConcernStatus.CLOSED, closed_reason="Ikke en sag for SSP."
    )
    client.force_login(personas.consultant)
    expected = list(
        selectors.closed_concerns(user=personas.consultant).values_list("pk", flat=True)
    )

    pages, last = _walk(client, CLOSED)

    assert [pk for page in pages for pk in page] == expected
    assert [len(page) for page in pages] == [25, 25, len(expected) - 50]
    back = _link(last, "prev")
    assert back is not None
    assert "vis=afsluttede" in back
    assert _rows(client.get(back)) == pages[-2]
    assert "Bekymringer afsluttet uden sag" in last.content.decode()


def test_the_closed_list_counts_no_further_than_a_thousand(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.consultant)
    client.get(CLOSED)

    with CaptureQueriesContext(connection) as queries:
        assert client.get(CLOSED).status_code == 200

    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert len(counts) == 1
    assert "LIMIT 1001" in counts[0]
