"""Lists whose cost does not grow with how much the reader may see (issue 18).

Two tools, both without an exact `COUNT` over every row a user may see:

- `keyset_page`: pages cut by the last row's sort key ("next" and "previous" links carry it),
  over a list given as parts whose union is the list (see `cases.permissions.
  visible_case_parts`). Each part is cut to the page by its own index walk and PostgreSQL
  merges at most a page per part, so page 1 of 100,000 cases costs what page 1 of 1,000 does.
  The count is capped: "1.000+" instead of reading every row to say 100,000.
- `CappedPaginator`: Django's paginator with its count cut at `cap` rows (`LIMIT cap + 1`
  inside the count), for lists served by one index in their own order (the access log).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.functional import cached_property

COUNT_CAP = 1000


class CappedPaginator(Paginator):
    """A paginator that counts at most `cap` + 1 rows: past the cap it reports `cap` rows
    (and `count_is_capped`), so a list never counts all it could show. Pages past the cap
    are not offered; a narrower search reaches older rows."""

    def __init__(self, object_list: Any, per_page: int, *, cap: int = COUNT_CAP) -> None:
        super().__init__(object_list, per_page)
        self.cap = cap

    @cached_property
    def _capped_count(self) -> int:
        return self.object_list[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:  # type: ignore[override]
        return min(self._capped_count, self.cap)

    @property
    def count_is_capped(self) -> bool:
        return self._capped_count > self.cap

    @cached_property
    def num_pages(self) -> int:  # type: ignore[override]
        return max(1, math.ceil(self.count / self.per_page))


@dataclass(frozen=True)
class Cursor:
    """A row's place in a list ordered by (key descending, id descending)."""

    key: datetime
    pk: int

    def encode(self) -> str:
        return f"{self.key.isoformat()}~{self.pk}"

    @classmethod
    def decode(cls, text: str | None) -> Cursor | None:
        """The cursor of a link, or None for a missing or mangled one (the first page)."""
        if not text or "~" not in text:
            return None
        key, _, pk = text.rpartition("~")
        try:
            when = datetime.fromisoformat(key.replace(" ", "+"))
            number = int(pk)
        except ValueError:
            return None
        if when.tzinfo is None or number < 1:
            return None
        return cls(when, number)


@dataclass
class KeysetPage:
    """One page of a keyset list, with what its template needs (links carry cursors)."""

    object_list: list
    has_next: bool
    has_previous: bool
    next_cursor: str = ""
    previous_cursor: str = ""
    count: int = 0
    count_is_capped: bool = False
    number: int = 1
    extra: dict = field(default_factory=dict)

    def __iter__(self) -> Any:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous


def _union(parts: list[QuerySet], ordering: tuple[str, ...], limit: int) -> list[tuple]:
    cut = [part.order_by(*ordering)[:limit] for part in parts]
    if not cut:
        return []
    if len(cut) == 1:
        return list(cut[0])
    return list(cut[0].union(*cut[1:]).order_by(*ordering)[:limit])


def capped_count(parts: list[QuerySet], *, cap: int = COUNT_CAP) -> tuple[int, bool]:
    """How many rows the union of `parts` holds, read no further than `cap` + 1 rows per
    part: (count, True) when there are more than `cap`. One query: when the first part alone
    passes the cap (a consultant's own municipality) it settles it without reading the
    others."""
    cut = [part.order_by().values("pk")[: cap + 1] for part in parts]
    cut = [part for part in cut if not _empty(part)]
    if not cut:
        return 0, False
    total = cut[0].count() if len(cut) == 1 else _first_part_or_union_count(cut, cap)
    return min(total, cap), total > cap


def _empty(part: QuerySet) -> bool:
    """Whether Django knows without asking that `part` holds nothing (e.g. the grants of a
    user in no group): it then compiles to no SQL at all."""
    try:
        part.query.sql_with_params()
    except EmptyResultSet:
        return True
    return False


def _first_part_or_union_count(cut: list[QuerySet], cap: int) -> int:
    """The first part's count if it passes `cap`, else the union's, in one statement.

    PostgreSQL runs an uncorrelated scalar subquery (an InitPlan) only when its value is first
    needed, so over the cap the union's subquery is never executed, and under it the count
    costs no second round trip (asked one after the other, they were two queries).
    """
    first_sql, first_params = cut[0].query.sql_with_params()
    union_sql, union_params = cut[0].union(*cut[1:]).query.sql_with_params()
    # Both texts are Django's own compilations; their values stay bound parameters.
    sql = (
        f"SELECT CASE WHEN (SELECT COUNT(*) FROM ({first_sql}) first_part) > %s THEN %s"  # noqa: S608
        f" ELSE (SELECT COUNT(*) FROM ({union_sql}) all_parts) END"
    )
    with connections[cut[0].db].cursor() as cursor:
        cursor.execute(sql, (*first_params, cap, cap + 1, *union_params))
        return int(cursor.fetchone()[0])


def keyset_page(
    parts: list[QuerySet],
    *,
    key: str,
    per_page: int,
    after: Cursor | None = None,
    before: Cursor | None = None,
    number: int = 1,
) -> KeysetPage:
    """The page of the union of `parts`, ordered by (`key` descending, id descending), that
    follows `after` (or precedes `before`; neither: the first page). `object_list` holds the
    ids of the page's rows in order; the caller reads the rows it shows by those ids."""
    if before is not None:
        condition = Q(**{f"{key}__gte": before.key}) & (
            Q(**{f"{key}__gt": before.key}) | Q(pk__gt=before.pk)
        )
        ordering: tuple[str, ...] = (key, "id")
    else:
        condition = Q()
        if after is not None:
            # The first half lets the index start at the cursor; the second breaks the tie.
            condition = Q(**{f"{key}__lte": after.key}) & (
                Q(**{f"{key}__lt": after.key}) | Q(pk__lt=after.pk)
            )
        ordering = (f"-{key}", "-id")
    rows = _union(
        [part.filter(condition).values_list(key, "id") for part in parts],
        ordering,
        per_page + 1,
    )
    more = len(rows) > per_page
    rows = rows[:per_page]
    if before is not None:
        rows.reverse()
        has_previous, has_next = more, True
    else:
        has_previous, has_next = after is not None, more
    if before is not None and not has_previous:
        number = 1
    return KeysetPage(
        object_list=[pk for _key, pk in rows],
        has_next=has_next and bool(rows),
        has_previous=has_previous and bool(rows),
        next_cursor=Cursor(*rows[-1]).encode() if rows else "",
        previous_cursor=Cursor(*rows[0]).encode() if rows else "",
        number=max(1, number),
    )


AFTER, BEFORE, NUMBER = "efter", "foer", "side"


def _page_number(text: str | None) -> int:
    return int(text) if text and text.isascii() and text.isdigit() and len(text) < 7 else 1


def keyset_list_page(
    request: HttpRequest, parts: list[QuerySet], *, key: str, per_page: int
) -> KeysetPage:
    """`keyset_page` for a list view: the cursor from the address (`efter` or `foer`, with
    `side` only for the page's number), the capped count, and the addresses of the first,
    previous and next pages with the list's filters kept."""
    page = keyset_page(
        parts,
        key=key,
        per_page=per_page,
        after=Cursor.decode(request.GET.get(AFTER)),
        before=Cursor.decode(request.GET.get(BEFORE)),
        number=_page_number(request.GET.get(NUMBER)),
    )
    page.count, page.count_is_capped = capped_count(parts)
    filters = request.GET.copy()
    for name in (AFTER, BEFORE, NUMBER):
        filters.pop(name, None)

    def address(**cursor: str) -> str:
        query = filters.copy()
        for name, value in cursor.items():
            query[name] = value
        return f"?{query.urlencode()}"

    page.extra = {
        "first_url": address(),
        "next_url": address(**{AFTER: page.next_cursor, NUMBER: str(page.number + 1)}),
        "previous_url": address(**{BEFORE: page.previous_cursor, NUMBER: str(page.number - 1)}),
    }
    return page
