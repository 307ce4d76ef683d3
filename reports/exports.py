"""The statistics as CSV, Excel and the yearly status PDF.

Exports carry exactly the cells the page shows, suppression included, and never a name, birth
date or CPR number: the report holds only labels of categories, schools, bodies and months.
"""

from __future__ import annotations

import io
import re

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from reports import charts
from reports.figures import KeyFigure, Report, Table
from reports.prevention_account import Account
from ssp.exports import CSV_BOM, SafeCsvWriter, xlsx_keep_text_as_text
from ssp.pdf import render_pdf


def period_label(report: Report) -> str:
    filters = report.filters
    return (
        f"{date_format(filters.start, 'DATE_FORMAT')} – {date_format(filters.end, 'DATE_FORMAT')}"
    )


def filter_labels(report: Report) -> list[tuple[str, str]]:
    filters = report.filters
    labels = [(_("Kommune"), report.municipality.name), (_("Periode"), period_label(report))]
    if filters.school is not None:
        labels.append((_("Skole"), filters.school.name))
    if filters.body is not None:
        labels.append((_("Organ"), filters.body.name))
    if filters.category is not None:
        labels.append((_("Kategori"), filters.category.name))
    if not report.full_scope:
        labels.append((_("Omfang"), _("Kun de sager og bekymringer, du har adgang til")))
    return labels


def write_preamble(
    writer: SafeCsvWriter, filters: list[tuple[str, str]], key_figures: list[KeyFigure]
) -> None:
    """The rows that say what made the file (the chosen filters) and its key figures, in the
    file's four columns, so a reader of the file alone knows what it counts."""
    for label, value in filters:
        writer.writerow([_("Valgte filtre"), label, "", value])
    for figure in key_figures:
        writer.writerow([_("Nøgletal"), figure.label, "", figure.spreadsheet_value])


def to_csv(report: Report) -> str:
    out = io.StringIO()
    out.write(CSV_BOM)
    # Names of categories, schools and bodies are typed by people: the writer keeps one that
    # starts like a formula from running.
    writer = SafeCsvWriter(out)
    writer.writerow([_("Tabel"), _("Række"), _("Kolonne"), _("Værdi")])
    write_preamble(writer, filter_labels(report), report.key_figures)
    for table in report.tables:
        for row in table.rows:
            for column, cell in zip(table.columns, row.cells, strict=True):
                writer.writerow([table.title, row.label, column, cell.display])
    return out.getvalue()


_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


SHEET_TITLE_MAX = 31


def _shorten(title: str, limit: int) -> str:
    """The title cut to `limit` characters at the end of a word, never inside one."""
    if len(title) <= limit:
        return title
    cut = title[: limit + 1].rsplit(" ", 1)[0].rstrip(" ,–-")
    # One word longer than the limit has no end to cut at.
    return cut if 0 < len(cut) <= limit else title[:limit]


def sheet_title(title: str, taken: set[str]) -> str:
    """An Excel sheet name (at most 31 characters, none of []:*?/\\), unique in the workbook,
    cut between words so a reader still knows what the sheet holds."""
    base = _shorten(_SHEET_FORBIDDEN.sub("-", title), SHEET_TITLE_MAX)
    name, number = base, 2
    while name in taken:
        suffix = f" ({number})"
        name = _shorten(base, SHEET_TITLE_MAX - len(suffix)) + suffix
        number += 1
    taken.add(name)
    return name


def to_xlsx(report: Report) -> bytes:
    workbook = Workbook()
    overview = workbook.active
    overview.title = _("Oversigt")
    bold = Font(bold=True)
    overview.append([_("SSP-statistik")])
    overview["A1"].font = Font(bold=True, size=14)
    for label, value in filter_labels(report):
        overview.append([label, value])
    overview.append([])
    for figure in report.key_figures:
        overview.append([figure.label, figure.spreadsheet_value])
    overview.column_dimensions["A"].width = 30
    overview.column_dimensions["B"].width = 45
    taken = {overview.title}
    for table in report.tables:
        sheet = workbook.create_sheet(sheet_title(table.short_title or table.title, taken))
        sheet.append(["", *table.columns])
        for cell in sheet[1]:
            cell.font = bold
        for row in table.rows:
            # Counts stay numbers so they can be added up; "<5" and texts stay text.
            sheet.append(
                [row.label, *(c.value if c.value is not None else c.display for c in row.cells)]
            )
        if table.note:
            sheet.append([])
            sheet.append([table.note])
        sheet.column_dimensions["A"].width = 40
    # Names of categories, schools and bodies are typed by people: one starting with "="
    # would otherwise become a formula that Excel runs when the file is opened.
    xlsx_keep_text_as_text(workbook)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def chart_svg(table: Table) -> str:
    """The table's chart, drawn from its first column."""
    bars = [charts.Bar(row.label, row.cells[0].value, row.cells[0].display) for row in table.rows]
    draw = charts.line_chart_svg if table.chart == "line" else charts.bar_chart_svg
    return draw(
        bars,
        title=table.title,
        description=_("Tallene står i tabellen under diagrammet."),
        value_label=table.columns[0],
        empty_text=_("Ingen tal i perioden"),
    )


def to_pdf(report: Report, account: Account | None = None, *, commentary: str = "") -> bytes:
    """The yearly status for the Lokalråd, in Danish as the Lokalråd reads it: a cover with
    the period, the filters, the key figures and the consultant's commentary, then the case
    figures and, when given, the prevention account of the same period."""
    with translation.override("da"):
        account_tables = [
            (table, chart_svg(table) if table.chart and table.rows else "")
            for table in (account.tables if account is not None else [])
        ]
        html = render_to_string(
            "reports/status_pdf.html",
            {
                "report": report,
                "filters": filter_labels(report),
                "period": period_label(report),
                "printed_at": timezone.now(),
                "tables": [
                    (table, chart_svg(table) if table.chart and table.rows else "")
                    for table in report.tables
                ],
                "account": account,
                "account_tables": account_tables,
                "commentary": commentary,
            },
        )
    return render_pdf(html, pdf_variant="pdf/ua-1")
