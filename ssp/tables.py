"""The rows of the long data tables, written in Python.

A row of the case list or of a meeting table is six to nine template variables, filters and a
`{% url %}` or `get_absolute_url`; rendered by the template engine, the case list's 25 rows
took 5 ms of a 40 ms page, written here 2 ms (docs/benchmarks.md, "Table rows written in
Python"). The templates keep the table: its
caption, headings, classes and empty row; a template tag of the app fills its `<tbody>` from
here. Every cell is labelled with its column (`data-title`) for DKFDS's responsive headers,
which stack a row's cells on a phone (tests/test_phone_tables.py checks the templates' own
tables for the same).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.urls import reverse
from django.utils.safestring import SafeString

from ssp.escaping import conditional_escape, escape

# An id no object has, to cut a reversed address around.
_SOME_PK = 987654321


def address_of(viewname: str) -> Callable[[int], str]:
    """The address of `viewname` for an object's id, reversed once for a whole table instead
    of once a row (a `reverse` per row is 20–40 µs)."""
    before, after = reverse(viewname, args=[_SOME_PK]).split(str(_SOME_PK))
    return lambda pk: f"{before}{pk}{after}"


def labelled_rows(labels: Sequence[str], rows: Iterable[Sequence[Any]]) -> SafeString:
    """`<tr>` per row of cells, each `<td>` labelled with its column's heading.

    A cell is escaped unless it is safe (`format_html`, `SafeString`), as in a template.
    """
    cells = "".join(
        '<td data-title="{}">{{}}</td>'.format(escape(label).replace("{", "{{").replace("}", "}}"))
        for label in labels
    )
    row_format = f"<tr>{cells}</tr>"
    return SafeString(
        "".join(row_format.format(*(conditional_escape(cell) for cell in row)) for row in rows)
    )
