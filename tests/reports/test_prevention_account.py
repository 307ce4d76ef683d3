"""The prevention account and its exports show the figures worked out by hand from
`tests/reports/account_data.py`; case counts beside them are suppressed, activity counts are
not; it counts one municipality's work only, and only what the reader may see."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from forum import services as forum_services
from forum.models import BodyKind, Person
from prevention.models import Activity
from reports.exports import sheet_title
from ssp.models import Sector, User
from tests.reports.account_data import (
    COLUMNS,
    KEY_FIGURES,
    TABLES,
    AccountData,
    account_data_create,
)
from tests.reports.statistics_helpers import (
    csv_rows,
    get_ok,
    read_page,
    read_workbook,
    sheet_rows,
)
from tests.reports.tally import PERIOD, Tally

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(tally: Tally) -> AccountData:
    return account_data_create(tally)


def _url(data: AccountData, suffix: str = "") -> str:
    return f"/statistik/{data.tally.municipality.pk}/forebyggelse/{suffix}"


def test_the_page_shows_every_figure_as_computed_by_hand(client: Client, data: AccountData) -> None:
    client.force_login(data.tally.consultant)

    page = read_page(client, _url(data), PERIOD)

    assert page.key_figures == KEY_FIGURES
    assert page.tables == TABLES
    assert page.columns == COLUMNS


def test_the_csv_says_its_filters_and_carries_the_page_and_every_cell(
    client: Client, data: AccountData
) -> None:
    client.force_login(data.tally.consultant)

    rows = csv_rows(get_ok(client, _url(data, "forebyggelsesregnskab.csv"), PERIOD))

    assert rows[0] == ["Tabel", "Række", "Kolonne", "Værdi"]
    assert ["Valgte filtre", "Kommune", "", "Tællekommune"] in rows
    assert ["Valgte filtre", "Periode", "", "1. januar 2026 – 31. marts 2026"] in rows
    assert ["Nøgletal", "Nye sager", "", "13"] in rows
    by_table = {}
    for table, label, column, value in (row for row in rows if len(row) == 4):
        by_table.setdefault(table, {})[label, column] = value
    kinds = by_table["Type af forebyggelse: aktiviteter og sager"]
    assert kinds["Proaktiv", "Nye sager"] == "<5"
    assert kinds["Situationel", "Personer nået"] == "15"
    # The cube: month × kind × level × prevention kind × school/place, one line each.
    detail = rows[rows.index([]) + 1 :]
    assert detail[0][:5] == ["Måned", "Type", "Niveau", "Type af forebyggelse", "Skole eller sted"]
    assert [
        "feb 2026",
        "Gadeplansrunde",
        "Specifik",
        "Situationel",
        "Stationen",
        "1",
        "1",
        "0",
        "0",
        "0",
        "12",
    ] in detail
    assert sum(int(row[5]) for row in detail[1:]) == 8


def test_a_place_typed_like_a_formula_cannot_run_in_the_csv(
    client: Client, data: AccountData
) -> None:
    Activity.objects.filter(place="Stationen").update(place="=HYPERLINK(1)")
    client.force_login(data.tally.consultant)

    content = get_ok(client, _url(data, "forebyggelsesregnskab.csv"), PERIOD).decode("utf-8-sig")

    assert "'=HYPERLINK(1)" in content
    assert ";=HYPERLINK" not in content


def test_the_excel_holds_numbers_as_numbers_and_whole_words_in_sheet_names(
    client: Client, data: AccountData
) -> None:
    client.force_login(data.tally.consultant)

    workbook = read_workbook(get_ok(client, _url(data, "forebyggelsesregnskab.xlsx"), PERIOD))

    assert workbook.sheetnames == [
        "Oversigt",
        "Pr. måned",
        "Pr. type",
        "Type og niveau",
        "Niveau og sager",
        "Forebyggelsestype og sager",
        "Pr. skole eller sted",
        "Alle tal",
    ]
    overview = sheet_rows(workbook["Oversigt"])
    assert ["Aktiviteter", 8] in overview
    assert ["Nye sager", 13] in overview
    kinds = sheet_rows(workbook["Forebyggelsestype og sager"])
    assert kinds[1] == ["Proaktiv", 5, 55, "<5"]
    assert kinds[2] == ["Reaktiv", 1, 1, 6]
    detail = sheet_rows(workbook["Alle tal"])
    assert sum(row[5] for row in detail[1:]) == 8


def test_a_sheet_name_is_cut_between_words() -> None:
    taken: set[str] = set()

    first = sheet_title("Bekymringer pr. skole og aldersgruppe", taken)
    second = sheet_title("Bekymringer pr. skole og aldersgruppe", taken)

    assert first == "Bekymringer pr. skole og"
    assert second == "Bekymringer pr. skole og (2)"
    assert sheet_title("Aldersgruppeopdelingsoversigtstabellen", taken) == (
        "Aldersgruppeopdelingsoversigtst"
    )


def test_the_yearly_status_pdf_has_a_prevention_account_section(
    client: Client, data: AccountData, tmp_path: Path
) -> None:
    client.force_login(data.tally.consultant)
    pdf = tmp_path / "status.pdf"
    pdf.write_bytes(
        get_ok(client, f"/statistik/{data.tally.municipality.pk}/aarsstatus.pdf", PERIOD)
    )

    text = subprocess.run(  # noqa: S603
        ["/usr/bin/pdftotext", "-layout", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout

    account = text[text.index("Forebyggelsesregnskab") :]
    assert re.search(r"Proaktiv\s+5\s+55\s+<5", account)
    assert re.search(r"Gadeplansrunde\s+2\s+2\s+0\s+0\s+0\s+15", account)
    assert re.search(r"Stationen\s+2\s+2\s+0\s+0\s+0\s+15", account)
    assert "999" not in text, "Nabokommune's campaign is in Tællekommune's status"


def test_the_account_takes_five_queries_however_many_activities(
    client: Client, data: AccountData
) -> None:
    client.force_login(data.tally.consultant)
    client.get(_url(data), PERIOD)  # the session is read once per request; warm it

    with CaptureQueriesContext(connection) as queries:
        response = client.get(_url(data), PERIOD)

    assert response.status_code == 200
    grouped = [q["sql"] for q in queries.captured_queries if "prevention_activity" in q["sql"]]
    assert len(grouped) == 1, grouped
    assert "GROUP BY" in grouped[0]
    assert len(queries) == EXPECTED_QUERIES, "\n".join(q["sql"] for q in queries.captured_queries)


# session, user, affiliation scope (2), form choices (3), activities (1), cases (2)
EXPECTED_QUERIES = 10


def _member(
    data: AccountData, kind: str, name: str, email: str, sector: str = Sector.SCHOOL
) -> User:
    user = User.objects.create_user(email, password="x", full_name=name, sector=sector)
    municipality = data.tally.municipality
    forum_services.affiliation_set(user=user, municipality=municipality, by=None)
    person = Person.objects.create(
        municipality=municipality, full_name=name, sector=sector, user=user
    )
    body = (
        data.tally.west_team if kind == BodyKind.SCHOOL_TEAM else municipality.bodies.get(kind=kind)
    )
    forum_services.membership_add(body=body, person=person, by=None)
    return user


def test_a_lokalraad_member_sees_the_whole_municipality_and_not_the_neighbour(
    client: Client, data: AccountData
) -> None:
    member = _member(data, BodyKind.LOKALRAAD, "Lone Lokal", "lone@test.ssp")
    client.force_login(member)

    page = read_page(client, _url(data), PERIOD)
    other = client.get(f"/statistik/{data.neighbour.pk}/forebyggelse/", PERIOD)
    other_csv = client.get(
        f"/statistik/{data.neighbour.pk}/forebyggelse/forebyggelsesregnskab.csv", PERIOD
    )

    assert page.key_figures == KEY_FIGURES
    assert other.status_code == 404, "a Lokalråd member of Tællekommune reads Nabokommune's account"
    assert other_csv.status_code == 404


def test_a_school_team_member_counts_only_the_work_of_the_bodies_they_read(
    client: Client, data: AccountData
) -> None:
    member = _member(data, BodyKind.SCHOOL_TEAM, "Villy Vest", "villy@test.ssp")
    client.force_login(member)

    response = client.get(_url(data), PERIOD)
    page = read_page(client, _url(data), PERIOD)

    assert "Tallene bygger kun på arbejdet" in response.content.decode()
    # SSP-team Vestskolen's two street rounds, nothing of Østskolen's team or the §115 group.
    assert page.key_figures[0] == ("2", "Aktiviteter")
    assert page.tables["activities_per_school_or_place"] == [
        ["Stationen", "2", "2", "0", "0", "0", "15"]
    ]
