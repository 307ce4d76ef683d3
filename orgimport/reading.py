"""Reading an uploaded file into sheets of rows, with tablib (openpyxl for Excel).

An Excel workbook may hold any of the three sheets (units, people, memberships), each known by
its headers; other sheets (the template's instructions) are passed over. A CSV file holds one
kind: the one the administrator chose, or the one its headers show. Each row keeps the number
the administrator sees in their spreadsheet (the headers are row 1), so an error can name it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, datetime

import tablib
from django.utils.translation import gettext as _

from orgimport.columns import SHEET_FOR_KIND, SheetSpec, header_keys, spec_for_headers
from orgimport.models import ImportKind

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
XLSX_MAGIC = b"PK\x03\x04"


class UnreadableFile(Exception):
    """The file is not a spreadsheet this import reads; the message says why, in Danish."""


@dataclass(frozen=True)
class Row:
    number: int  # as the spreadsheet numbers it: the headers are row 1
    cells: dict[str, str]  # column key → the cell's text, stripped


@dataclass
class Sheet:
    spec: SheetSpec
    title: str  # as the file names it (a CSV file: the kind's title)
    rows: list[Row] = field(default_factory=list)
    present: frozenset[str] = frozenset()  # the column keys the sheet has


def cell_text(value: object) -> str:
    """A cell as text: a number typed into Excel (a phone number, a code) without ".0"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("ja") if value else _("nej")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return " ".join(str(value).replace("\x00", "").split())


def is_workbook(content: bytes) -> bool:
    return content.startswith(XLSX_MAGIC)


def read_file(content: bytes, kind: str) -> tuple[list[Sheet], list[str]]:
    """The sheets of the file, and the titles of the sheets passed over. A CSV file is read
    as `kind` (or by its headers when `kind` is the workbook's)."""
    if len(content) > MAX_BYTES:
        raise UnreadableFile(_("Filen er for stor. Den må højst fylde 5 MB."))
    if is_workbook(content):
        return _read_workbook(content)
    return [_read_csv(content, kind)], []


def _read_workbook(content: bytes) -> tuple[list[Sheet], list[str]]:
    try:
        book = tablib.Databook().load(io.BytesIO(content), format="xlsx", headers=False)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise UnreadableFile(
            _("Regnearket kunne ikke læses. Gem det som Excel-projektmappe (.xlsx) og prøv igen.")
        ) from error
    sheets: list[Sheet] = []
    skipped: list[str] = []
    seen: set[str] = set()
    for dataset in book.sheets():
        rows = list(dataset)
        headers = [cell_text(value) for value in rows[0]] if rows else []
        spec = spec_for_headers(headers)
        if spec is None:
            skipped.append(dataset.title or "")
            continue
        if spec.kind in seen:
            raise UnreadableFile(
                _("Regnearket har mere end ét ark med %(sheet)s. Saml dem i ét ark.")
                % {"sheet": spec.title}
            )
        seen.add(spec.kind)
        sheets.append(_sheet(spec, dataset.title or spec.title, headers, rows[1:]))
    return sheets, skipped


def _decode(content: bytes) -> str:
    # Excel on a Danish Windows saves CSV in Windows-1252 unless told to use UTF-8.
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(_("CSV-filen kunne ikke læses. Gem den som CSV UTF-8 og prøv igen."))


def _read_csv(content: bytes, kind: str) -> Sheet:
    text = _decode(content)
    if "\x00" in text:
        # PostgreSQL stores no NUL; a file saved as UTF-16 ("Unicode-tekst") is full of them.
        raise UnreadableFile(
            _("CSV-filen kunne ikke læses: den indeholder nul-tegn. Gem den som CSV UTF-8.")
        )
    first_line = text.split("\n", 1)[0]
    # Danish Excel separates with semicolons; others with commas.
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        dataset = tablib.Dataset().load(text, format="csv", headers=False, delimiter=delimiter)
    except Exception as error:  # tablib's InvalidDimensions, csv.Error
        raise UnreadableFile(
            _("CSV-filen kunne ikke læses: alle rækker skal have lige mange kolonner.")
        ) from error
    rows = list(dataset)
    headers = [cell_text(value) for value in rows[0]] if rows else []
    found = spec_for_headers(headers)
    spec = SHEET_FOR_KIND.get(kind) if kind != ImportKind.WORKBOOK else found
    if spec is None:
        raise UnreadableFile(
            _(
                "Filens overskrifter passer ikke til enheder, personer eller medlemskaber. "
                "Brug overskrifterne fra skabelonen, eller vælg, hvad filen indeholder."
            )
        )
    present = set(header_keys(spec, headers).values())
    missing = [spec.column(key).header for key in spec.identifying if key not in present]
    if missing:
        raise UnreadableFile(
            _("CSV-filen mangler kolonnerne %(columns)s, som %(sheet)s skal have.")
            % {"columns": ", ".join(f"»{header}«" for header in missing), "sheet": spec.title}
        )
    return _sheet(spec, str(spec.title), headers, rows[1:])


def _sheet(spec: SheetSpec, title: str, headers: list[str], rows: list) -> Sheet:
    keys = header_keys(spec, headers)
    sheet = Sheet(spec=spec, title=title, present=frozenset(keys.values()))
    for offset, values in enumerate(rows):
        cells = {key: cell_text(values[index]) for index, key in keys.items()}
        if any(cells.values()):
            sheet.rows.append(Row(number=offset + 2, cells=cells))
    if len(sheet.rows) > MAX_ROWS:
        raise UnreadableFile(
            _("Arket %(sheet)s har mere end %(max)s rækker. Del filen op.")
            % {"sheet": title, "max": MAX_ROWS}
        )
    return sheet
