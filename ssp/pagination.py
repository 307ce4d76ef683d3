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

from django.core.exceptions import EmptyResultSet, ValidationError
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import DateField, DateTimeField, Model, QuerySet
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
    # Each row's sort values, in the page's order (the id last): a list that shows no more
    # than those reads no rows of its own.
    keys: list[tuple] = field(default_factory=list)

    def __iter__(self) -> Any:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous


@dataclass(frozen=True)
class _Part:
    """A part of a keyset list as its rows' sort values, compiled once for the page and the
    count: `sql` selects the columns `k0`, `k1`, … (the ordering's fields, in its order)."""

    sql: str
    params: tuple


@dataclass(frozen=True)
class _Parts:
    """The compiled parts of a keyset list, with where they are read, and the SQL type of the
    first sort column when it has infinities (a date or time: see `_page_rows`)."""

    compiled: list[_Part]
    db: str
    first_key_type: str | None


def _compile(parts: list[QuerySet], order: tuple[str, ...]) -> _Parts:
    """`parts` compiled once for a page and a count in `order`."""
    names = [sort.removeprefix("-") for sort in order]
    first_key_type = None
    if parts:
        meta = parts[0].model._meta
        first = meta.pk if names[0] == "pk" else meta.get_field(names[0])
        if isinstance(first, DateTimeField):
            first_key_type = "timestamptz"
        elif isinstance(first, DateField):
            first_key_type = "date"
    return _Parts(_compiled_parts(parts, names), parts[0].db if parts else "", first_key_type)


def _columns(count: int) -> list[str]:
    return [f"k{position}" for position in range(count)]


def _compiled_parts(parts: list[QuerySet], names: list[str]) -> list[_Part]:
    """Each part's sort values, compiled once; a part Django knows to be empty without asking
    (e.g. the grants of a user in no group) compiles to nothing and is left out.

    A part must be a plain filtered queryset (no DISTINCT, GROUP BY, slice or set operation):
    PostgreSQL then pulls it up into the page's and the count's statements and plans each as
    if it were written out, so the page is still cut by the part's own index walk.
    """
    aliases = ", ".join(_columns(len(names)))
    compiled = []
    for part in parts:
        query = part.query
        if query.distinct or query.combinator or query.is_sliced or query.group_by:
            raise ValueError("A keyset list's part must be a plain filtered queryset.")
        try:
            sql, params = part.order_by().values_list(*names).query.sql_with_params()
        except EmptyResultSet:
            continue
        compiled.append(_Part(f"SELECT * FROM ({sql}) part ({aliases})", tuple(params)))  # noqa: S608
    return compiled


def _union_sql(statements: list[tuple[str, tuple]]) -> tuple[str, tuple]:
    """The UNION of statements, each in parentheses (each may carry its own ORDER BY and
    LIMIT)."""
    sql = " UNION ".join(f"({statement})" for statement, _params in statements)
    return sql, tuple(param for _sql, params in statements for param in params)


def _fetch(db: str, sql: str, params: tuple) -> list[tuple]:
    # Only texts Django compiled itself and the columns named here; every value is a bound
    # parameter.
    with connections[db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _order_by(order: tuple[str, ...]) -> str:
    """The columns `k0`, `k1`, … in `order`'s directions ("-" for descending)."""
    return ", ".join(
        f"{column} {'DESC' if field.startswith('-') else 'ASC'}"
        for column, field in zip(_columns(len(order)), order, strict=True)
    )


def _beyond(order: tuple[str, ...], values: tuple, *, backwards: bool = False) -> tuple[str, tuple]:
    """The rows that come after `values` in `order` (before them when `backwards`), as a
    condition on the columns `k0`, `k1`, …: the lexicographic comparison, led by a bound on the
    first column alone so that the index walk starts at the cursor instead of testing every
    row before it."""
    columns = _columns(len(order))

    def operator(sort: str, *, strict: bool) -> str:
        descending = sort.startswith("-") != backwards
        return ("<" if descending else ">") + ("" if strict else "=")

    steps, params = [], [values[0]]
    for position, sort in enumerate(order):
        equal = [f"{column} = %s" for column in columns[:position]]
        steps.append(
            " AND ".join([*equal, f"{columns[position]} {operator(sort, strict=True)} %s"])
        )
        params += [*values[:position], values[position]]
    tie_break = " OR ".join(f"({step})" for step in steps)
    return f"{columns[0]} {operator(order[0], strict=False)} %s AND ({tie_break})", tuple(params)


def _page_rows(
    parts: _Parts,
    ordering: tuple[str, ...],
    condition: tuple[str, tuple] | None,
    limit: int,
) -> list[tuple]:
    """At most `limit` rows of the union past `condition`, in `ordering`: each part cut to
    the limit by its own walk, then merged.

    When the first sort column is a date or time, the first part's page bounds the others':
    a row of another part that comes after the first part's last row cannot be on the page.
    The first part is a consultant's whole municipality, so its page is found in its first
    rows, and the grants' walk (down the cases' index, probing each case for a grant) stops at
    that row instead of going on until it has a page of its own (at 100,000 cases 1,400
    probes instead of 300).
    """
    where, where_params = condition or ("", ())
    order = _order_by(ordering)

    def cut(part: _Part, bound: str = "", bound_params: tuple = ()) -> tuple[str, tuple]:
        conditions = " AND ".join(filter(None, [where, bound]))
        where_sql = f" WHERE {conditions}" if conditions else ""
        return (
            f"{part.sql}{where_sql} ORDER BY {order} LIMIT %s",
            (*part.params, *where_params, *bound_params, limit),
        )

    compiled = parts.compiled
    if not compiled:
        return []
    if len(compiled) == 1:
        return _fetch(parts.db, *cut(compiled[0]))
    if parts.first_key_type is None:
        union_sql, params = _union_sql([cut(part) for part in compiled])
        sql = f"SELECT * FROM ({union_sql}) page ORDER BY {order} LIMIT %s"  # noqa: S608
        return _fetch(parts.db, sql, (*params, limit))
    first_sql, first_params = cut(compiled[0])
    descending = ordering[0].startswith("-")
    # The first part's last row's key, or no bound when its page is not full.
    edge = f"'{'-' if descending else ''}infinity'::{parts.first_key_type}"
    bound = (
        f"k0 {'>=' if descending else '<='} COALESCE((SELECT k0 FROM first_page"  # noqa: S608
        f" ORDER BY {order} OFFSET %s LIMIT 1), {edge})"
    )
    union_sql, params = _union_sql(
        [("SELECT * FROM first_page", ())]
        + [cut(part, bound, (limit - 1,)) for part in compiled[1:]]
    )
    sql = (
        f"WITH first_page AS MATERIALIZED ({first_sql}) "  # noqa: S608
        f"SELECT * FROM ({union_sql}) page ORDER BY {order} LIMIT %s"
    )
    return _fetch(parts.db, sql, (*first_params, *params, limit))


def capped_count(parts: list[QuerySet], *, cap: int = COUNT_CAP) -> tuple[int, bool]:
    """How many rows the union of `parts` holds, read no further than `cap` + 1 rows per
    part: (count, True) when there are more than `cap`."""
    return _capped_count(_compile(parts, ("pk",)), cap=cap)


def _capped_count(parts: _Parts, *, cap: int = COUNT_CAP) -> tuple[int, bool]:
    """The capped count of compiled parts in one query; when the first part alone passes the
    cap (a consultant's own municipality) it settles it without reading the others. The
    union tells rows apart by their sort values, which end with the id."""
    if not parts.compiled:
        return 0, False
    cut = [
        (f"SELECT * FROM ({part.sql}) part_rows LIMIT %s", (*part.params, cap + 1))  # noqa: S608
        for part in parts.compiled
    ]
    total = _first_part_or_union_count(parts.db, cut, cap)
    return min(total, cap), total > cap


def _first_part_or_union_count(db: str, statements: list[tuple[str, tuple]], cap: int) -> int:
    """The first statement's count if it passes `cap`, else the union's, in one statement.

    PostgreSQL runs an uncorrelated scalar subquery (an InitPlan) only when its value is first
    needed, so over the cap the union's subquery is never executed, and under it the count
    costs no second round trip (asked one after the other, they were two queries).
    """
    first_sql, first_params = statements[0]
    if len(statements) == 1:
        return int(_fetch(db, f"SELECT COUNT(*) FROM ({first_sql}) part", first_params)[0][0])  # noqa: S608
    union_sql, union_params = _union_sql(statements)
    sql = (
        f"SELECT CASE WHEN (SELECT COUNT(*) FROM ({first_sql}) first_part) > %s THEN %s"  # noqa: S608
        f" ELSE (SELECT COUNT(*) FROM ({union_sql}) all_parts) END"
    )
    return int(_fetch(db, sql, (*first_params, cap, cap + 1, *union_params))[0][0])


def _reversed(order: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(field[1:] if field.startswith("-") else f"-{field}" for field in order)


def keyset_page(
    parts: list[QuerySet],
    *,
    key: str = "",
    order: tuple[str, ...] = (),
    per_page: int,
    after: tuple | None = None,
    before: tuple | None = None,
    number: int = 1,
) -> KeysetPage:
    """The page of the union of `parts` in `order` (fields, "-" for descending, ending in
    "id" or "-id"; `key`: short for (`-key`, `-id`)) that follows `after` (or precedes
    `before`; neither: the first page). A cursor is the sort values of a row. `object_list`
    holds the ids of the page's rows in order; the caller reads the rows it shows by those
    ids."""
    order = order or (f"-{key}", "-id")
    return _keyset_page(
        _compile(parts, order),
        order,
        per_page=per_page,
        after=after,
        before=before,
        number=number,
    )


def _keyset_page(
    parts: _Parts,
    order: tuple[str, ...],
    *,
    per_page: int,
    after: tuple | None,
    before: tuple | None,
    number: int,
) -> KeysetPage:
    if before is not None:
        condition = _beyond(order, before, backwards=True)
        ordering = _reversed(order)
    else:
        condition = _beyond(order, after) if after is not None else None
        ordering = order
    rows = _page_rows(parts, ordering, condition, per_page + 1)
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
        object_list=[row[-1] for row in rows],
        has_next=has_next and bool(rows),
        has_previous=has_previous and bool(rows),
        next_cursor=encode_cursor(rows[-1]) if rows else "",
        previous_cursor=encode_cursor(rows[0]) if rows else "",
        number=max(1, number),
        keys=rows,
    )


def encode_cursor(values: tuple) -> str:
    """A row's sort values for an address: "~" between them (only the first may hold one)."""
    return "~".join(
        value.isoformat() if isinstance(value, datetime) else str(value) for value in values
    )


def decode_cursor(model: type[Model], order: tuple[str, ...], text: str | None) -> tuple | None:
    """The sort values of a link, each read as its model field reads input, or None for a
    missing or mangled one (the first page). Times must carry their zone."""
    if not text or text.count("~") < len(order) - 1 or "\x00" in text:
        return None  # PostgreSQL refuses a NUL in a string
    pieces = text.rsplit("~", len(order) - 1)
    values = []
    for column, piece in zip(order, pieces, strict=True):
        model_field = model._meta.get_field(column.removeprefix("-"))
        if isinstance(model_field, DateTimeField):
            piece = piece.replace(" ", "+")  # a "+" read back from an address as a space
        try:
            value = model_field.to_python(piece)
        except (ValidationError, ValueError, TypeError):
            return None
        if value is None or (isinstance(value, datetime) and value.tzinfo is None):
            return None
        if isinstance(value, int) and not 0 < value < 2**63:
            return None  # ids (and keys) are positive bigints
        values.append(value)
    return tuple(values)


AFTER, BEFORE, NUMBER = "efter", "foer", "side"


def _page_number(text: str | None) -> int:
    return int(text) if text and text.isascii() and text.isdigit() and len(text) < 7 else 1


def keyset_list_page(
    request: HttpRequest,
    parts: list[QuerySet],
    *,
    key: str = "",
    order: tuple[str, ...] = (),
    per_page: int,
    count: bool = True,
) -> KeysetPage:
    """`keyset_page` for a list view: the cursor from the address (`efter` or `foer`, with
    `side` only for the page's number), the capped count (unless `count` is False), and the
    addresses of the first, previous and next pages with the list's filters kept."""
    order = order or (f"-{key}", "-id")
    model = parts[0].model if parts else None
    after = before = None
    if model is not None:
        before = decode_cursor(model, order, request.GET.get(BEFORE))
        after = decode_cursor(model, order, request.GET.get(AFTER)) if before is None else None
    # Compiled once for the page and the count.
    compiled = _compile(parts, order)
    page = _keyset_page(
        compiled,
        order,
        per_page=per_page,
        after=after,
        before=before,
        # Without a cursor this is the first page, whatever number the address claims.
        number=_page_number(request.GET.get(NUMBER)) if after or before else 1,
    )
    if count:
        page.count, page.count_is_capped = _capped_count(compiled)
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
