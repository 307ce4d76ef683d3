"""`ssp.pagination.keyset_page` over several parts: every page is the union's rows in order,
whichever part a row comes from, forwards and backwards. The first part's page bounds the
others' walks when the first sort column is a time; these cases put the other parts' rows
before, level with and after that bound."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db.models import QuerySet

from cases.models import Case
from forum.models import Body, Municipality
from ssp.pagination import capped_count, keyset_page
from tests.factories import CaseFactory
from tests.personas import Personas

pytestmark = pytest.mark.django_db

ORDER = ("-updated_at", "-id")
START = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def _case(body: Body, minutes: int) -> int:
    case = CaseFactory(municipality=body.municipality, responsible_body=body)
    Case.objects.filter(pk=case.pk).update(updated_at=START + timedelta(minutes=minutes))
    return case.pk


@pytest.fixture
def parts(personas: Personas) -> list[QuerySet[Case]]:
    glostrup = Municipality.objects.get(code="161")
    vestervang = Body.objects.get(name="SSP-team Vestervang")
    # The first part: twelve cases a minute apart, two of them at the same minute.
    minutes = (60, 59, 58, 57, 57, 56, 55, 54, 53, 52, 51, 50)
    first = [_case(vestervang, minute) for minute in minutes]
    # The others, in a municipality of their own: newer than all, level with the first part's
    # rows, between them and older, and one case that is in the first part too.
    elsewhere = CaseFactory().responsible_body
    granted = [_case(elsewhere, minute) for minute in (90, 61, 57, 57, 55, 53, 49, 40, 10)]
    return [
        Case.objects.filter(municipality=glostrup, pk__in=first),
        Case.objects.filter(pk__in=[*granted[:5], first[3]]),
        Case.objects.filter(pk__in=granted[5:]),
    ]


def _expected(parts: list[QuerySet[Case]]) -> list[int]:
    ids = set().union(*(set(part.values_list("pk", flat=True)) for part in parts))
    return list(Case.objects.filter(pk__in=ids).order_by(*ORDER).values_list("pk", flat=True))


@pytest.mark.parametrize("per_page", [1, 2, 3, 4, 5, 7, 12, 25])
def test_pages_forwards_and_backwards_are_the_union_in_order(
    parts: list[QuerySet[Case]], per_page: int
) -> None:
    expected = _expected(parts)
    pages, after = [], None
    while True:
        page = keyset_page(parts, order=ORDER, per_page=per_page, after=after)
        pages.append(page.object_list)
        if not page.has_next:
            break
        after = tuple(page.keys[-1])
    assert [pk for page in pages for pk in page] == expected
    assert all(len(page) == per_page for page in pages[:-1])
    # Back from the last page to the first, by the first row of each.
    before, back = tuple(page.keys[0]), []
    while True:
        page = keyset_page(parts, order=ORDER, per_page=per_page, before=before)
        if not page.object_list:
            break
        back.insert(0, page.object_list)
        if not page.has_previous:
            break
        before = tuple(page.keys[0])
    assert [pk for page in back for pk in page] == expected[: len(expected) - len(pages[-1])]


def test_a_first_part_shorter_than_the_page_bounds_nothing(parts: list[QuerySet[Case]]) -> None:
    expected = _expected(parts)
    page = keyset_page(parts, order=ORDER, per_page=len(expected))
    assert page.object_list == expected
    assert not page.has_next


def test_the_count_tells_the_shared_case_once(parts: list[QuerySet[Case]]) -> None:
    assert capped_count(parts) == (len(_expected(parts)), False)
    assert capped_count(parts, cap=5) == (5, True)


def test_a_part_that_is_not_a_plain_filter_is_refused(parts: list[QuerySet[Case]]) -> None:
    with pytest.raises(ValueError, match="plain filtered queryset"):
        keyset_page([parts[0], parts[1].distinct()], order=ORDER, per_page=5)
