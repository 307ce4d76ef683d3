"""Every export goes through one CSV writer that keeps text typed by people from running as a
spreadsheet formula when the file is opened (OWASP, CSV injection), and keeps numbers numbers."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import Workbook, load_workbook

from ssp.exports import SafeCsvWriter, spreadsheet_safe, xlsx_keep_text_as_text


@pytest.mark.parametrize(
    "text",
    [
        "=cmd|' /C calc'!A0",
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1:A2)",
        "\t=1+1",
        "\r=1+1",
        '=HYPERLINK("https://example.invalid","Klik")',
    ],
)
def test_text_that_starts_like_a_formula_is_prefixed_with_an_apostrophe(text: str) -> None:
    assert spreadsheet_safe(text) == f"'{text}"


@pytest.mark.parametrize("value", ["-12", "+3", "-1,5", "4.25", "<5", "Skole = vigtig", 7, -7, ""])
def test_numbers_and_ordinary_text_are_left_as_they_are(value: object) -> None:
    assert spreadsheet_safe(value) == value


def test_the_writer_guards_every_cell_of_every_row() -> None:
    out = io.StringIO()
    writer = SafeCsvWriter(out)

    writer.writerow(["=1+1", "ok", -3])
    writer.writerow(["@x", "-4"])

    rows = list(csv.reader(io.StringIO(out.getvalue()), delimiter=";"))
    assert rows == [["'=1+1", "ok", "-3"], ["'@x", "-4"]]


def test_the_writer_without_a_file_returns_each_line_for_streaming() -> None:
    line = SafeCsvWriter().writerow(["=1+1", "a;b"])

    assert line == '\'=1+1;"a;b"\r\n'


def test_a_workbook_keeps_text_that_looks_like_a_formula_as_text() -> None:
    workbook = Workbook()
    workbook.active.append(["=1+1", 5, "plain"])

    xlsx_keep_text_as_text(workbook)
    out = io.BytesIO()
    workbook.save(out)

    sheet = load_workbook(io.BytesIO(out.getvalue())).active
    assert [(cell.value, cell.data_type) for cell in sheet[1]] == [
        ("=1+1", "s"),
        (5, "n"),
        ("plain", "s"),
    ]
