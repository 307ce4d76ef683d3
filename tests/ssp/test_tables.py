"""ssp/tables.py: rows written in Python label and escape every cell as the templates did."""

from __future__ import annotations

from django.urls import reverse
from django.utils.html import format_html

from ssp.tables import address_of, labelled_rows


def test_every_cell_is_labelled_with_its_column() -> None:
    html = labelled_rows(["Sag", "Den unge"], [["1", "Ida"], ["2", "Bo"]])

    assert html == (
        '<tr><td data-title="Sag">1</td><td data-title="Den unge">Ida</td></tr>'
        '<tr><td data-title="Sag">2</td><td data-title="Den unge">Bo</td></tr>'
    )


def test_cells_are_escaped_unless_safe_as_in_a_template() -> None:
    html = labelled_rows(
        ["Møde"], [[format_html('<a href="{}">{}</a>', "/m/1/", "Bo & <Ida>")], ["<b>{x}</b>"]]
    )

    assert '<td data-title="Møde"><a href="/m/1/">Bo &amp; &lt;Ida&gt;</a></td>' in html
    assert '<td data-title="Møde">&lt;b&gt;{x}&lt;/b&gt;</td>' in html


def test_a_label_is_escaped_and_may_hold_braces() -> None:
    html = labelled_rows(['Tid {"start"} & slut'], [["10:00"]])

    assert html == '<tr><td data-title="Tid {&quot;start&quot;} &amp; slut">10:00</td></tr>'


def test_no_rows_is_nothing_for_the_tables_own_empty_row() -> None:
    assert labelled_rows(["Sag"], []) == ""


def test_an_address_is_the_one_reverse_gives() -> None:
    case_page = address_of("cases:case_detail")

    for pk in (1, 42, 987654321, 10**12):
        assert case_page(pk) == reverse("cases:case_detail", args=[pk])
