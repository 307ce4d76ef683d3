"""Bad input to the statistics page and its exports: refused with a Danish message and the
typed values kept, never a crash; names that look like formulas stay text in the exports."""

from __future__ import annotations

import pytest
from django.test import Client

from cases.models import (
    ConcernCategory,
)
from forum.models import Body, Municipality, Unit
from ssp.models import Sector
from tests.reports.statistics_helpers import (
    csv_rows,
    get_ok,
    read_workbook,
)
from tests.reports.tally import (
    PERIOD,
    Tally,
)

pytestmark = pytest.mark.django_db


# Bad input -------------------------------------------------------------------------------------

BAD_DATES = [
    ({"fra": "2026-03-31", "til": "2026-01-01"}, "Slutdatoen ligger før startdatoen."),
    ({"fra": "2026-13-45", "til": "2026-03-31"}, "Indtast en gyldig dato."),
    ({"fra": "2026-01-01", "til": "2026-02-30"}, "Indtast en gyldig dato."),
    ({"fra": "2020-01-01", "til": "2026-03-31"}, "Vælg en periode på højst fem år."),
    # Year 9999 (whose last month could not be counted to its end) is outside the range
    # every date field of the app takes.
    ({"fra": "9999-12-01", "til": "9999-12-31"}, "Skriv en dato fra 01.01.1900 til 31.12.2100."),
]


@pytest.mark.parametrize(("query", "message"), BAD_DATES)
def test_a_bad_period_is_refused_with_a_danish_message_and_the_typed_dates_kept(
    client: Client, tally: Tally, query: dict[str, str], message: str
) -> None:
    client.force_login(tally.consultant)

    response = client.get(tally.url(), query)

    html = response.content.decode()
    assert response.status_code == 422
    assert message in html
    assert f'value="{query["fra"]}"' in html
    assert f'value="{query["til"]}"' in html
    assert "Hent CSV" not in html


@pytest.mark.parametrize("field", ["skole", "organ", "kategori"])
@pytest.mark.parametrize("value", ["999999", "abc", "another municipality's"])
def test_an_unknown_choice_is_refused_with_a_danish_message_and_kept_in_the_form(
    client: Client, tally: Tally, field: str, value: str
) -> None:
    if value == "another municipality's":
        glostrup = Municipality.objects.get(code="161")
        value = str(
            {
                "skole": Unit.objects.filter(municipality=glostrup, sector=Sector.SCHOOL),
                "organ": Body.objects.filter(municipality=glostrup),
                "kategori": ConcernCategory.objects.filter(municipality=glostrup),
            }[field]
            .first()
            .pk
        )
    client.force_login(tally.consultant)

    response = client.get(tally.url(), {**PERIOD, field: value})

    assert response.status_code == 422
    assert "Marker en gyldig valgmulighed." in response.content.decode()
    assert response.context["form"][field].value() == value
    assert 'value="2026-01-01"' in response.content.decode()


@pytest.mark.parametrize("export", ["statistik.csv", "statistik.xlsx", "aarsstatus.pdf"])
@pytest.mark.parametrize(
    "query",
    [
        "fra=2026-03-31&til=2026-01-01",
        "fra=2026-13-45&til=2026-03-31",
        "fra=2020-01-01&til=2026-03-31",
        "fra=2026-01-01&til=2026-03-31&skole=999999",
        "fra=2026-01-01&til=2026-03-31&organ=abc",
    ],
)
def test_an_export_with_bad_filters_goes_back_to_the_page_with_the_same_query(
    client: Client, tally: Tally, export: str, query: str
) -> None:
    client.force_login(tally.consultant)

    response = client.get(f"{tally.url(export)}?{query}")

    assert response.status_code == 302
    assert response["Location"] == f"{tally.url()}?{query}"


@pytest.mark.parametrize(
    "query",
    [
        "fra=0001-01-01&til=0001-12-31",
        "fra=9999-12-01&til=9999-12-31",
        "fra=2026-01-01&til=2026-03-31&skole=-1",
        "fra=2026-01-01&til=2026-03-31&organ=1e9",
        "fra=2026-01-01&til=2026-03-31&kategori=99999999999999999999",
        "fra=%00&til=2026-03-31",
        "fra=2026-01-01&fra=2026-02-01&til=2026-03-31",
    ],
)
def test_odd_input_never_breaks_the_page_or_an_export(
    client: Client, tally: Tally, query: str
) -> None:
    client.force_login(tally.consultant)

    statuses = {
        suffix: client.get(f"{tally.url(suffix)}?{query}").status_code
        for suffix in ["", "statistik.csv", "statistik.xlsx", "aarsstatus.pdf"]
    }

    assert not [s for s, status in statuses.items() if status >= 500], statuses


def test_a_period_of_exactly_five_years_is_accepted(client: Client, tally: Tally) -> None:
    client.force_login(tally.consultant)

    response = client.get(tally.url(), {"fra": "2021-04-01", "til": "2026-03-31"})

    assert response.status_code == 200


def test_a_name_that_looks_like_a_formula_stays_text_in_excel(client: Client, tally: Tally) -> None:
    formula = '=HYPERLINK("https://example.invalid","Klik")'
    ConcernCategory.objects.filter(pk=tally.crime.pk).update(name=formula)
    client.force_login(tally.consultant)

    workbook = read_workbook(get_ok(client, tally.url("statistik.xlsx"), PERIOD))

    cells = [
        cell
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value == formula
    ]
    assert cells, "the category is missing from the workbook"
    assert {cell.data_type for cell in cells} == {"s"}


def test_a_name_that_looks_like_a_formula_is_shown_not_run_in_the_csv(
    client: Client, tally: Tally
) -> None:
    formula = '=HYPERLINK("https://example.invalid","Klik")'
    ConcernCategory.objects.filter(pk=tally.crime.pk).update(name=formula)
    client.force_login(tally.consultant)

    rows = csv_rows(get_ok(client, tally.url("statistik.csv"), PERIOD))

    labels = {row[1] for row in rows}
    assert f"'{formula}" in labels
    assert formula not in labels
