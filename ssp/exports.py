"""The one way the app writes spreadsheets people open: CSV and Excel files whose cells can
never run as a formula.

Exports carry text people typed (a share's purpose, names of categories, schools and bodies).
A spreadsheet takes a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return for a
formula and runs it when the file is opened (OWASP, "CSV injection"); such a cell is prefixed
with an apostrophe, which the spreadsheet shows as text. Plain numbers, negative ones too,
cannot be formulas and stay numbers.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import TYPE_CHECKING, Protocol

from django import forms
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from openpyxl import Workbook

# Excel opens a semicolon-separated UTF-8 file with a byte order mark correctly in Danish.
CSV_DELIMITER = ";"
CSV_BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


def spreadsheet_safe(value: object) -> object:
    """The value as a spreadsheet cell that shows it instead of running it."""
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_STARTS)
        and not _PLAIN_NUMBER.fullmatch(value)
    ):
        return f"'{value}"
    return value


class _Writable(Protocol):
    def write(self, value: str, /) -> object: ...


class _Echo:
    """A file that hands back what is written, so each row can be streamed as it is made."""

    def write(self, value: str) -> str:
        return value


class SafeCsvWriter:
    """`csv.writer` with every cell passed through `spreadsheet_safe`.

    Without a file, `writerow` returns the row's line, for a streamed response.
    """

    def __init__(self, out: _Writable | None = None) -> None:
        self._writer = csv.writer(
            out if out is not None else _Echo(), delimiter=CSV_DELIMITER, lineterminator="\r\n"
        )

    def writerow(self, row: Iterable[object]) -> str:
        return self._writer.writerow([spreadsheet_safe(value) for value in row])


def form_filters(form: forms.Form) -> list[tuple[str, str]]:
    """The filters a valid form was given, as (label, value) for the top of an export: the
    fields left empty are left out; dates are written as dates, choices by their label."""
    filters = []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if value in (None, "", [], ()):
            continue
        if isinstance(value, date):
            shown = date_format(value, "DATE_FORMAT")
        elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
            shown = str(dict(field.choices).get(value, value))
        else:
            shown = str(value)
        filters.append((str(field.label), shown))
    return filters


def csv_streaming_response(
    *,
    filename: str,
    header: list[str],
    rows: Iterable[Iterable[object]],
    filters: Sequence[tuple[str, str]] = (),
    preamble: bool = True,
) -> StreamingHttpResponse:
    """A CSV download streamed row by row, for exports too long to hold in memory.

    The file opens with what made it: when it was exported, and each filter (`filters`,
    "none" when there were none), then an empty line and the table with its header. A file
    whose rows already open with what made it says `preamble=False`.
    """
    writer = SafeCsvWriter()
    exported_at = date_format(timezone.localtime(), "DATETIME_FORMAT")

    def lines() -> Iterator[str]:
        yield CSV_BOM
        if preamble:
            yield writer.writerow([_("Udtrukket"), exported_at])
            for label, value in filters or [(_("Filtre"), _("Ingen"))]:
                yield writer.writerow([label, value])
            yield writer.writerow([])
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_keep_text_as_text(workbook: Workbook) -> None:
    """openpyxl stores a string starting with `=` as a formula: store every such cell as the
    text it is. The app never writes formulas of its own."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
