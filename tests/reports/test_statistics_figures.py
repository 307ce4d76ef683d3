"""The statistics page and its exports show the figures worked out by hand from the data set
in `tests/reports/tally.py`, and the edges of that data set (the clock, ages, an empty period)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.test import Client

from cases.models import (
    Concern,
    SubjectKind,
    YoungPerson,
)
from tests.reports.statistics_helpers import (
    csv_figures,
    get_ok,
    pdf_text,
    read_page,
    read_workbook,
    sheet_rows,
    workbook_text,
)
from tests.reports.tally import (
    COLUMNS,
    EXPECTED,
    EXPECTED_KEYS,
    KEY_LABELS,
    PERIOD,
    Tally,
    as_excel,
    at,
    expected_csv,
)

pytestmark = pytest.mark.django_db


# The page and the exports show the hand-computed figures --------------------------------------


def test_the_page_shows_every_figure_as_computed_by_hand(client: Client, tally: Tally) -> None:
    client.force_login(tally.consultant)

    page = read_page(client, tally.url(), PERIOD)

    assert page.tables == EXPECTED
    assert page.columns == COLUMNS
    assert page.key_figures == list(zip(EXPECTED_KEYS, KEY_LABELS, strict=True))


def test_the_page_says_the_period_and_hides_the_partial_scope_note_from_the_consultant(
    client: Client, tally: Tally
) -> None:
    client.force_login(tally.consultant)

    html = client.get(tally.url(), PERIOD).content.decode()

    assert "<dt>Periode</dt><dd>1. januar 2026 – 31. marts 2026</dd>" in html
    assert "du har adgang til" not in html


def test_the_csv_rows_equal_the_figures_on_the_page(client: Client, tally: Tally) -> None:
    client.force_login(tally.consultant)

    response = client.get(tally.url("statistik.csv"), PERIOD)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="ssp-statistik-997-2026-01-01-2026-03-31.csv"'
    )
    assert csv_figures(response.content) == expected_csv(EXPECTED)


def test_the_excel_sheets_hold_the_same_cells_with_counts_as_numbers(
    client: Client, tally: Tally
) -> None:
    client.force_login(tally.consultant)

    workbook = read_workbook(get_ok(client, tally.url("statistik.xlsx"), PERIOD))

    overview = sheet_rows(workbook.worksheets[0])
    assert ["Periode", "1. januar 2026 – 31. marts 2026"] in overview
    for label, value in zip(KEY_LABELS, EXPECTED_KEYS, strict=True):
        # A count is a number a spreadsheet adds up; "<5" and "3 / 7" stay text.
        assert [label, int(value) if value.isdigit() else value] in overview
    sheets = workbook.worksheets[1:]
    assert len(sheets) == len(EXPECTED)
    for sheet, (key, rows) in zip(sheets, EXPECTED.items(), strict=True):
        shown = sheet_rows(sheet)[: len(rows) + 1]
        assert shown[0][1:] == COLUMNS[key], key
        assert shown[1:] == [[row[0], *map(as_excel, row[1:])] for row in rows], key
    month_sheet = sheet_rows(sheets[0])
    assert (month_sheet[2][1], month_sheet[1][1]) == (7, "<5")


def test_the_yearly_status_pdf_carries_the_key_figures(client: Client, tally: Tally) -> None:
    client.force_login(tally.consultant)

    text = pdf_text(get_ok(client, tally.url("aarsstatus.pdf"), PERIOD))

    assert "SSP-status for Tællekommune" in text
    assert "1. januar 2026 – 31. marts 2026" in text
    for label, value in zip(KEY_LABELS, EXPECTED_KEYS, strict=True):
        assert re.search(rf"{re.escape(value)}\s*{re.escape(label)}", text), (label, value)
    for line in ["Kriminalitet 8", "Mistrivsel 7", "Møder holdt 3", "Sager drøftet 6"]:
        assert line in text
    assert "2,5 døgn" in text
    assert "11,0 døgn" in text


def test_no_export_names_a_young_person_or_their_birth_date(client: Client, tally: Tally) -> None:
    client.force_login(tally.consultant)

    texts = {
        "CSV": get_ok(client, tally.url("statistik.csv"), PERIOD).decode("utf-8-sig"),
        "Excel": workbook_text(get_ok(client, tally.url("statistik.xlsx"), PERIOD)),
        "PDF": pdf_text(get_ok(client, tally.url("aarsstatus.pdf"), PERIOD)),
    }

    for export, text in texts.items():
        for name in tally.names:
            assert name not in text, f"LEAK: {name} in the {export} export"
        for born in ["2010-06-01", "01-06-2010", "2005-06-01", "01-06-2005"]:
            assert born not in text, f"LEAK: birth date {born} in the {export} export"


# Edges of the data set -------------------------------------------------------------------------


def test_meetings_ahead_of_now_are_planned_but_not_held(client: Client, tally: Tally) -> None:
    client.force_login(tally.consultant)

    page = read_page(client, tally.url(), {"fra": "2026-01-01", "til": "2026-04-30"})

    # 10 April was held, 20 April is ahead; the 10 April agenda adds a seventh case.
    assert page.tables["group_115"] == [["Møder holdt", "4"], ["Sager drøftet", "7"]]
    assert page.tables["school_teams"][1] == ["SSP-team Østskolen", "Ja", "4", "3", "3", "2"]
    # The concern at 00:30 on 1 April now counts: April shows "<5".
    assert page.tables["concerns_per_month"][-1] == ["apr 2026", "<5"]


def test_a_young_persons_age_band_is_their_age_on_the_day_the_concern_is_about(
    client: Client, tally: Tally
) -> None:
    # Aged 17 on 2 April, 18 today: the concern counts under SSP, not SSP+.
    for index in range(5):
        person = YoungPerson.objects.create(
            municipality=tally.municipality,
            full_name=f"Tælle-Fødselar {index}",
            birth_date=date(2008, 4, 10),
            school=tally.west,
        )
        Concern.objects.create(
            municipality=tally.municipality,
            author=tally.consultant,
            subject_kind=SubjectKind.PERSON,
            young_person=person,
            category=tally.crime,
            description="Set og hørt.",
            observed_on=date(2026, 4, 2),
            submitted_at=at("2026-04-03"),
        )
    client.force_login(tally.consultant)

    page = read_page(client, tally.url(), {"fra": "2026-04-02", "til": "2026-04-14"})

    assert page.tables["concerns_per_school_and_age_band"] == [["Vestskolen", "5", "0", "0", "0"]]


def test_a_period_without_data_shows_zeros_and_dashes(client: Client, tally: Tally) -> None:
    client.force_login(tally.consultant)

    page = read_page(client, tally.url(), {"fra": "2024-01-01", "til": "2024-02-29"})

    assert page.tables["concerns_per_month"] == [["jan 2024", "0"], ["feb 2024", "0"]]
    assert page.tables["concerns_per_category"] == []
    assert page.tables["response_times"] == [
        ["Fra bekymring til visitation", "0", "–"],
        ["Fra første bekymring til første indsats", "0", "–"],
    ]
    assert [value for value, _label in page.key_figures] == ["0", "0", "0", "0 / 2", "0 / 0"]
