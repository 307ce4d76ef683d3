"""Lists whose cost does not grow with what the reader may see (issue 18): the case list is
cut by keyset pages over the parts of the visibility rule, and no list counts every row it
could show."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cases import permissions
from cases.models import Case
from forum.models import Body, Municipality
from ssp.models import AuditEvent
from ssp.pagination import CappedPaginator, capped_count, decode_cursor, encode_cursor
from tests.factories import CaseFactory
from tests.personas import PERSONA_NAMES, Personas

pytestmark = pytest.mark.django_db


def _rows(response) -> list[int]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.status_code
    return [int(pk) for pk in re.findall(r'href="/sager/(\d+)/"', response.content.decode())]


def _link(response, rel: str) -> str | None:  # type: ignore[no-untyped-def]
    found = re.search(rf'href="(\?[^"]*)" rel="{rel}"', response.content.decode())
    return "/sager/" + found.group(1).replace("&amp;", "&") if found else None


def _many_cases(personas: Personas, count: int) -> None:
    glostrup = Municipality.objects.get(code="161")
    vestervang = Body.objects.get(name="SSP-team Vestervang")
    for number in range(count):
        CaseFactory(
            municipality=glostrup,
            young_person__full_name=f"Test-Side {number:02}",
            responsible_body=vestervang,
            opened_by=personas.consultant,
        )


def test_the_parts_of_the_visibility_rule_are_the_rule(personas: Personas) -> None:
    for user in (personas[name] for name in PERSONA_NAMES):
        parts = permissions.visible_case_parts(user)
        from_parts = set().union(*(set(part.values_list("pk", flat=True)) for part in parts))
        visible = set(permissions.cases_visible_to(user).values_list("pk", flat=True))
        assert from_parts == visible, user.email


def test_next_and_previous_walk_every_visible_case_once_in_order(
    client: Client, personas: Personas
) -> None:
    _many_cases(personas, 60)
    client.force_login(personas.consultant)
    expected = list(
        permissions.cases_visible_to(personas.consultant)
        .order_by("-updated_at", "-id")
        .values_list("pk", flat=True)
    )
    pages, address = [], "/sager/"
    while address:
        response = client.get(address)
        pages.append(_rows(response))
        address = _link(response, "next")
    assert [pk for page in pages for pk in page] == expected
    assert all(len(page) == 25 for page in pages[:-1])
    assert "Side 3" in response.content.decode()
    # And back again, page by page, to the first.
    back = _link(response, "prev")
    assert back is not None
    previous = client.get(back)
    assert _rows(previous) == pages[-2]
    assert "Side 2" in previous.content.decode()
    assert 'rel="next"' in previous.content.decode()


def test_a_mangled_page_address_shows_the_first_page(client: Client, personas: Personas) -> None:
    client.force_login(personas.consultant)
    first = _rows(client.get("/sager/"))
    for junk in ("efter=x", "efter=2026-01-01~abc", "foer=~~", "efter=2026-01-01T00:00~5"):
        assert _rows(client.get(f"/sager/?{junk}")) == first, junk


def test_the_case_list_counts_no_further_than_a_thousand(
    client: Client, personas: Personas
) -> None:
    _many_cases(personas, 3)
    client.force_login(personas.consultant)
    client.get("/sager/")  # the session and its caches

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/sager/")

    assert response.status_code == 200
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert counts, "the list says how many cases it holds"
    for sql in counts:
        assert "LIMIT 1001" in sql, sql
    # The list's own queries: the user's groups and triaged municipalities (which answer the
    # menu's question too), the page's ids, the count (one statement), the page's rows (and the
    # form's bodies, the access log, the session).
    assert len(queries) == 8, [q["sql"][:80] for q in queries.captured_queries]
    visible = permissions.cases_visible_to(personas.consultant).count()
    assert f"{visible} sager" in response.content.decode()


def test_the_capped_paginator_stops_counting_at_the_cap(personas: Personas) -> None:
    for number in range(5):
        AuditEvent.objects.create(
            user_id=personas.consultant.pk, action="view", object_type=f"x{number}"
        )
    events = AuditEvent.objects.filter(user_id=personas.consultant.pk).order_by("-at", "-id")

    with CaptureQueriesContext(connection) as queries:
        paginator = CappedPaginator(events, 2, cap=3)
        assert (paginator.count, paginator.count_is_capped, paginator.num_pages) == (3, True, 2)
    assert "LIMIT 4" in queries.captured_queries[0]["sql"]
    exact = CappedPaginator(events, 2, cap=100)
    assert (exact.count, exact.count_is_capped) == (events.count(), False)


def test_a_cursor_survives_its_address() -> None:
    order = ("-updated_at", "-id")
    cursor = decode_cursor(Case, order, "2026-12-05T10:11:12.000013+00:00~42")
    assert cursor is not None
    assert cursor[1] == 42
    assert decode_cursor(Case, order, encode_cursor(cursor)) == cursor
    # A "+" read back from an address as a space is still the offset.
    assert decode_cursor(Case, order, "2026-12-05T10:11:12 01:00~7")[1] == 7
    assert decode_cursor(Case, order, "2026-12-05T10:11:12~7") is None, "a time without its zone"
    assert decode_cursor(Case, order, "2026-12-05T10:11:12+00:00~0") is None, "not an id"
    assert decode_cursor(Case, order, "nonsense~7") is None


def test_the_capped_count_of_the_parts_says_more_than_the_cap(personas: Personas) -> None:
    parts = permissions.visible_case_parts(personas.consultant)
    visible = permissions.cases_visible_to(personas.consultant).count()
    assert visible > 3

    with CaptureQueriesContext(connection) as queries:
        assert capped_count(parts, cap=2) == (2, True)
    assert len(queries) == 1, "the consultant's own municipality settles it alone"
    assert capped_count(parts, cap=visible) == (visible, False)
    assert capped_count([], cap=2) == (0, False)
    police = permissions.visible_case_parts(personas.police)
    police_visible = permissions.cases_visible_to(personas.police).count()
    assert capped_count(police, cap=100) == (police_visible, False)
