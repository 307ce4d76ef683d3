"""The statistics filters (school, body, category, period): each changes the figures as
worked out by hand, and the chosen filters stay in the form, the summary and the exports."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.reports.statistics_helpers import (
    csv_figures,
    get_ok,
    pdf_text,
    read_page,
    read_workbook,
    sheet_rows,
)
from tests.reports.tally import (
    EXPECTED,
    PERIOD,
    Rows,
    Tally,
    expected_csv,
)

pytestmark = pytest.mark.django_db


# Filters ---------------------------------------------------------------------------------------

SCHOOL_EAST: dict[str, Rows] = {
    "concerns_per_month": [["jan 2026", "6"], ["feb 2026", "0"], ["mar 2026", "0"]],
    "concerns_per_category": [["Kriminalitet", "6"]],
    "concerns_per_school_and_age_band": [["Østskolen", "6", "0", "0", "0"]],
    "cases_by_status": [["Åben", "<5"], ["Aktiv", "0"], ["Opfølgning", "0"], ["Lukket", "<5"]],
    "cases_by_level": [["Generel", "0"], ["Specifik", "6"], ["Individorienteret", "0"]],
    "cases_by_kind": [["Proaktiv", "0"], ["Reaktiv", "6"], ["Situationel", "0"]],
    # Triage after 1,1,2,2,2,4 days: (2 + 2) / 2. Only 3 first actions: no median.
    "response_times": [
        ["Fra bekymring til visitation", "6", "2,0 døgn"],
        ["Fra første bekymring til første indsats", "<5", "–"],
    ],
    "notification_followthrough": [
        ["Underretning bliver sendt (i alt)", "0"],
        ["Registreret som sendt", "0"],
        ["Over frist, ikke registreret", "0"],
        ["Endnu inden for fristen", "0"],
    ],
    # The §115 group is no school's: its meetings are not filtered by school.
    "group_115": [["Møder holdt", "3"], ["Sager drøftet", "6"]],
    "school_teams": [["SSP-team Østskolen", "Ja", "3", "3", "3", "2"]],
}
BODY_115: dict[str, Rows] = {
    "concerns_per_month": [["jan 2026", "0"], ["feb 2026", "7"], ["mar 2026", "0"]],
    "concerns_per_category": [["Mistrivsel", "7"]],
    "concerns_per_school_and_age_band": [["Vestskolen", "0", "7", "0", "0"]],
    "cases_by_status": [["Åben", "0"], ["Aktiv", "7"], ["Opfølgning", "0"], ["Lukket", "0"]],
    "cases_by_level": [["Generel", "0"], ["Specifik", "0"], ["Individorienteret", "7"]],
    "cases_by_kind": [["Proaktiv", "<5"], ["Reaktiv", "0"], ["Situationel", "<5"]],
    # Triage after 2.5,2.5,5,5,6,6,8 days; first actions after 10,10,12,14,14,20,30 days.
    "response_times": [
        ["Fra bekymring til visitation", "7", "5,0 døgn"],
        ["Fra første bekymring til første indsats", "7", "14,0 døgn"],
    ],
    "notification_followthrough": EXPECTED["notification_followthrough"],
    "group_115": [["Møder holdt", "3"], ["Sager drøftet", "6"]],
    "school_teams": [],
}
CATEGORY_CRIME: dict[str, Rows] = {
    # 6, 0, 2: the 2 hides the 6; the zero stays.
    "concerns_per_month": [["jan 2026", "<5"], ["feb 2026", "0"], ["mar 2026", "<5"]],
    "concerns_per_category": [["Kriminalitet", "8"]],
    "concerns_per_school_and_age_band": [
        ["Østskolen", "<5", "0", "0", "0"],
        ["Ingen skole", "0", "0", "0", "<5"],
    ],
    "cases_by_status": SCHOOL_EAST["cases_by_status"],
    "cases_by_level": SCHOOL_EAST["cases_by_level"],
    "cases_by_kind": SCHOOL_EAST["cases_by_kind"],
    "response_times": SCHOOL_EAST["response_times"],
    "notification_followthrough": SCHOOL_EAST["notification_followthrough"],
    "group_115": [["Møder holdt", "3"], ["Sager drøftet", "6"]],
    "school_teams": EXPECTED["school_teams"],
}


@pytest.mark.parametrize(
    ("name", "expected", "keys"),
    [
        ("skole", SCHOOL_EAST, ["6", "6", "3", "1 / 1", "2 / 3"]),
        ("organ", BODY_115, ["7", "7", "3", "0 / 0", "0 / 0"]),
        ("kategori", CATEGORY_CRIME, ["8", "6", "3", "1 / 2", "2 / 3"]),
    ],
)
def test_each_filter_changes_the_figures_as_computed_by_hand(
    client: Client, tally: Tally, name: str, expected: dict[str, Rows], keys: list[str]
) -> None:
    chosen = {"skole": tally.east, "organ": tally.group_115, "kategori": tally.crime}[name]
    query = {**PERIOD, name: str(chosen.pk)}
    client.force_login(tally.consultant)

    page = read_page(client, tally.url(), query)
    rows = csv_figures(get_ok(client, tally.url("statistik.csv"), query))

    assert page.tables == expected
    assert [value for value, _label in page.key_figures] == keys
    assert rows == expected_csv(expected)


def test_the_chosen_filters_stay_in_the_form_the_summary_and_the_export_links(
    client: Client, tally: Tally
) -> None:
    query = {**PERIOD, "skole": str(tally.east.pk), "kategori": str(tally.crime.pk)}
    client.force_login(tally.consultant)

    html = client.get(tally.url(), query).content.decode()

    assert 'value="2026-01-01"' in html
    assert 'value="2026-03-31"' in html
    assert f'<option value="{tally.east.pk}" selected>Østskolen</option>' in html
    assert f'<option value="{tally.crime.pk}" selected>Kriminalitet</option>' in html
    assert "<dt>Skole</dt><dd>Østskolen</dd>" in html
    assert "<dt>Kategori</dt><dd>Kriminalitet</dd>" in html
    kept = (
        f"fra=2026-01-01&amp;til=2026-03-31&amp;skole={tally.east.pk}&amp;kategori={tally.crime.pk}"
    )
    for export in ["statistik.csv", "statistik.xlsx", "aarsstatus/"]:
        assert f'href="{tally.url(export)}?{kept}"' in html, export


def test_an_export_with_filters_names_them_in_its_overview(client: Client, tally: Tally) -> None:
    query = {**PERIOD, "organ": str(tally.group_115.pk)}
    client.force_login(tally.consultant)

    overview = sheet_rows(read_workbook(get_ok(client, tally.url("statistik.xlsx"), query)).active)
    text = pdf_text(get_ok(client, tally.url("aarsstatus.pdf"), query))

    assert ["Organ", "§115-gruppen"] in overview
    assert "§115-gruppen" in text


def test_without_dates_the_period_is_this_year_so_far(client: Client, tally: Tally) -> None:
    client.force_login(tally.consultant)

    html = client.get(tally.url()).content.decode()

    assert "<dd>1. januar 2026 – 15. april 2026</dd>" in html
