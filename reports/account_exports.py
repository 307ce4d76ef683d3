"""The prevention account as CSV and Excel. Both carry the filters that made them, the tables
of the page and every cell of the account (month × kind × level × school/place), so a Lokalråd
member can pivot it as they like."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from reports.exports import period_label, sheet_title, write_preamble
from reports.figures import Table
from reports.prevention_account import Account, detail_table
from ssp.exports import CSV_BOM, SafeCsvWriter, xlsx_keep_text_as_text


def filter_labels(account: Account) -> list[tuple[str, str]]:
    filters = account.filters
    labels = [(_("Kommune"), account.municipality.name), (_("Periode"), period_label(account))]
    if filters.school is not None:
        labels.append((_("Skole"), filters.school.name))
    if filters.body is not None:
        labels.append((_("Organ"), filters.body.name))
    if filters.category is not None:
        labels.append((_("Kategori (kun sager)"), filters.category.name))
    if not account.full_scope:
        labels.append((_("Omfang"), _("Kun de organers arbejde og de sager, du har adgang til")))
    return labels


def _tables(account: Account) -> list[Table]:
    return [*account.tables, detail_table(account)]


def to_csv(account: Account) -> str:
    out = io.StringIO()
    out.write(CSV_BOM)
    # Names of schools and places are typed by people: the writer keeps one that starts like
    # a formula from running.
    writer = SafeCsvWriter(out)
    writer.writerow([_("Tabel"), _("Række"), _("Kolonne"), _("Værdi")])
    write_preamble(writer, filter_labels(account), account.key_figures)
    for table in account.tables:
        for row in table.rows:
            for column, cell in zip(table.columns, row.cells, strict=True):
                writer.writerow([table.title, row.label, column, cell.display])
    detail = detail_table(account)
    writer.writerow([])
    writer.writerow(detail.columns)
    for row in detail.rows:
        writer.writerow([cell.display for cell in row.cells])
    return out.getvalue()


def to_xlsx(account: Account) -> bytes:
    workbook = Workbook()
    overview = workbook.active
    overview.title = _("Oversigt")
    bold = Font(bold=True)
    overview.append([_("Forebyggelsesregnskab")])
    overview["A1"].font = Font(bold=True, size=14)
    for label, value in filter_labels(account):
        overview.append([label, value])
    overview.append([])
    for figure in account.key_figures:
        overview.append([figure.label, figure.spreadsheet_value])
    overview.column_dimensions["A"].width = 30
    overview.column_dimensions["B"].width = 45
    taken = {overview.title}
    for table in _tables(account):
        sheet = workbook.create_sheet(sheet_title(table.short_title or table.title, taken))
        detail = table.key == "activities_detail"
        sheet.append(table.columns if detail else ["", *table.columns])
        for cell in sheet[1]:
            cell.font = bold
        for row in table.rows:
            values = [c.value if c.value is not None else c.display for c in row.cells]
            sheet.append(values if detail else [row.label, *values])
        if table.note:
            sheet.append([])
            sheet.append([table.note])
        sheet.column_dimensions["A"].width = 40
    xlsx_keep_text_as_text(workbook)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
