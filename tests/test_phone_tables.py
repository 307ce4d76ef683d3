"""Tables read on a phone. A data table of four or more columns squeezes typed names into a
letter or two per line at 390 px (the long-word rule lets cells shrink below a word), so each
such table either stacks its rows with labelled cells (DKFDS `table--responsive-headers`, every
cell a `data-title`; empty for a column of buttons) or keeps readable columns that scroll
sideways (`table--phone-cells`). Read from the templates, so a new table is held to it before
anyone opens it on a phone. The PDF templates are printed on paper and exempt. Rows written in
Python (`ssp.tables.labelled_rows`) label every cell by construction (tests/ssp/test_tables.py)."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"
TABLE = re.compile(r"<table\b[^>]*>.*?</table>", re.S)
HEADINGS = re.compile(r'<th scope="col"')
CELL = re.compile(r"<td(?=[\s>])[^>]*>")
CLASSES = re.compile(r'<table\b[^>]*class="([^"]*)"')


def _screen_tables() -> list[tuple[str, str]]:
    tables = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        if "pdf" in path.name:
            continue
        for table in TABLE.findall(path.read_text()):
            tables.append((str(path.relative_to(TEMPLATES)), table))
    return tables


def test_the_templates_have_wide_tables_to_check() -> None:
    wide = [name for name, table in _screen_tables() if len(HEADINGS.findall(table)) >= 4]

    assert len(wide) >= 20
    assert "cases/partials/case_results.html" in wide
    assert "prevention/partials/activity_table.html" in wide


def test_every_wide_table_stacks_or_keeps_readable_columns_on_a_phone() -> None:
    squeezed = []
    for name, table in _screen_tables():
        if len(HEADINGS.findall(table)) < 4:
            continue
        classes = CLASSES.search(table)
        found = classes.group(1).split() if classes else []
        if "table--responsive-headers" not in found and "table--phone-cells" not in found:
            squeezed.append(name)

    assert squeezed == []


def test_every_cell_of_a_stacked_table_says_which_column_it_is() -> None:
    unlabelled = []
    for name, table in _screen_tables():
        if "table--responsive-headers" not in table:
            continue
        body = table[table.index("<tbody") :]
        # The row shown when there is nothing to list spans every column and needs no label.
        body = re.split(r"{%\s*empty\s*%}", body)[0]
        for cell in CELL.findall(body):
            if "data-title=" not in cell and "colspan" not in cell:
                unlabelled.append(f"{name}: {cell}")

    assert unlabelled == []
