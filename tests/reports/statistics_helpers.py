"""Reading the statistics page and its exports back in tests: the page's tables and key
figures as text, the CSV rows, the workbook and the PDF text."""

from __future__ import annotations

import csv
import io
from html.parser import HTMLParser

import openpyxl
import pypdf
from django.test import Client
from openpyxl.worksheet.worksheet import Worksheet

Rows = list[list[str]]


class StatisticsPage(HTMLParser):
    """The tables and key figures of the statistics page, as the text of their cells."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tables: dict[str, Rows] = {}
        self.columns: dict[str, list[str]] = {}
        self.key_figures: list[tuple[str, str]] = []
        self._table = ""
        self._row: list[str] | None = None
        self._text: list[str] | None = None
        self._span = ""
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "section" and (attributes.get("aria-labelledby") or "").startswith("figure-"):
            self._table = (attributes["aria-labelledby"] or "").removeprefix("figure-")
            self.tables[self._table] = []
        elif tag == "tr" and self._table:
            self._row = []
        elif tag in ("th", "td") and self._row is not None:
            self._text = []
        elif tag == "span" and attributes.get("class", "").startswith("statistics-key-"):
            self._span = attributes["class"] or ""
            self._text = []

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "td") and self._row is not None and self._text is not None:
            self._row.append("".join(self._text).strip())
            self._text = None
        elif tag == "tr" and self._row is not None:
            if self._table not in self.columns:
                self.columns[self._table] = self._row[1:]
            else:
                self.tables[self._table].append(self._row)
            self._row = None
        elif tag == "section":
            self._table = ""
        elif tag == "span" and self._span and self._text is not None:
            text = "".join(self._text).strip()
            if self._span == "statistics-key-value":
                self.key_figures.append((text, ""))
            else:
                self.key_figures[-1] = (self.key_figures[-1][0], text)
            self._span, self._text = "", None


def read_page(client: Client, url: str, query: dict[str, str]) -> StatisticsPage:
    response = client.get(url, query)
    assert response.status_code == 200, response.content.decode()[:2000]
    return StatisticsPage(response.content.decode())


def csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf"), "the CSV must start with a UTF-8 BOM for Excel"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


PREAMBLE = ("Valgte filtre", "Nøgletal")


def csv_figures(content: bytes) -> list[list[str]]:
    """The CSV's table rows, without the rows at the top that say what made it."""
    return [row for row in csv_rows(content) if row[0] not in PREAMBLE]


def read_workbook(content: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(content))


def sheet_rows(sheet: Worksheet) -> list[list[object]]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def workbook_text(content: bytes) -> str:
    return "\n".join(
        str(value)
        for sheet in read_workbook(content).worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF-")
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)


def get_ok(client: Client, url: str, query: dict[str, str]) -> bytes:
    response = client.get(url, query)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    return response.content
