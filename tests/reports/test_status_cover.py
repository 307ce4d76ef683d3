"""The yearly status's cover and the exports' statements of what made them: the consultant's
commentary on the PDF's first page, kept for the period; filters and key figures at the top
of the statistics CSV; key figures as numbers in Excel; when and how the streamed logs were
filtered."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pypdf
import pytest
from django.test import Client

from forum import services as forum_services
from forum.models import Body, BodyKind, Municipality, Person
from reports.models import StatusCommentary
from tests.csv_export import read_export
from tests.personas import Personas
from tests.reports.statistics_helpers import csv_rows, get_ok, read_workbook, sheet_rows
from tests.reports.tally import Tally

pytestmark = pytest.mark.django_db

CPH = ZoneInfo("Europe/Copenhagen")
PERIOD = {"fra": "2026-01-01", "til": "2026-03-31"}
QUERY = "fra=2026-01-01&til=2026-03-31"
COMMENTARY = "Flere bekymringer om efteråret end sidste år; Østskolens team har taget fat."


def _pages(content: bytes) -> list[str]:
    assert content.startswith(b"%PDF-")
    return [
        " ".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(content)).pages
    ]


def _glostrup() -> Municipality:
    return Municipality.objects.get(code="161")


def _this_year() -> dict[str, str]:
    today = datetime.now(CPH).date()
    return {"fra": (today - timedelta(days=365)).isoformat(), "til": today.isoformat()}


def test_the_consultant_writes_the_commentary_and_the_pdf_carries_it_on_its_cover(
    client: Client, tally: Tally
) -> None:
    client.force_login(tally.consultant)
    query = "fra=2026-01-01&til=2026-03-31"

    response = client.post(f"{tally.url('aarsstatus/')}?{query}", {"kommentar": COMMENTARY})

    assert response.status_code == 302
    assert response["Location"] == f"{tally.url('aarsstatus.pdf')}?{query}"
    pages = _pages(get_ok(client, tally.url("aarsstatus.pdf"), PERIOD))
    cover = " ".join(pages[0].split())
    assert "Flere bekymringer om efteråret end sidste år" in cover
    assert "SSP-konsulentens kommentar" in cover
    assert "Bekymringer" in cover, "the cover has the key figures"
    assert "Forebyggende arbejde i perioden" in cover
    # The figures start on their own page after the cover.
    assert "SSP-konsulentens kommentar" not in " ".join(pages[1].split())
    assert len(pages) >= 2


def test_the_commentary_is_kept_for_the_period_and_offered_again(
    client: Client, tally: Tally
) -> None:
    client.force_login(tally.consultant)
    client.post(f"{tally.url('aarsstatus/')}?{QUERY}", {"kommentar": "Først"})
    client.post(f"{tally.url('aarsstatus/')}?{QUERY}", {"kommentar": "Så"})

    same = client.get(tally.url("aarsstatus/"), PERIOD).content.decode()
    other = client.get(tally.url("aarsstatus/"), {"fra": "2026-01-01", "til": "2026-02-28"})

    assert StatusCommentary.objects.get(municipality=tally.municipality).text == "Så"
    assert "Så</textarea>" in same
    assert other.status_code == 200
    assert "Så</textarea>" not in other.content.decode(), "another period has its own commentary"


def test_a_commentary_too_long_is_refused_kept_and_not_saved(client: Client, tally: Tally) -> None:
    client.force_login(tally.consultant)
    text = "Lang kommentar. " * 400

    response = client.post(f"{tally.url('aarsstatus/')}?{QUERY}", {"kommentar": text})

    assert response.status_code == 422
    html = response.content.decode()
    assert "højst have 5000 tegn" in html
    assert "Lang kommentar. Lang kommentar." in html, "the typed text is kept"
    assert not StatusCommentary.objects.exists()


def test_a_lokalraad_member_reads_the_commentary_a_partial_reader_does_not(
    client: Client, personas: Personas
) -> None:
    glostrup = _glostrup()
    query = "&".join(f"{key}={value}" for key, value in _this_year().items())
    client.force_login(personas.consultant)
    assert (
        client.post(
            f"/statistik/{glostrup.pk}/aarsstatus/?{query}", {"kommentar": COMMENTARY}
        ).status_code
        == 302
    )
    lokalraad = Body.objects.get(municipality=glostrup, kind=BodyKind.LOKALRAAD)
    forum_services.membership_add(
        body=lokalraad, person=Person.objects.get(user=personas.leader), by=None
    )

    client.force_login(personas.leader)
    as_member = " ".join(
        _pages(get_ok(client, f"/statistik/{glostrup.pk}/aarsstatus.pdf", _this_year()))[0].split()
    )
    client.force_login(personas.police)
    as_police = " ".join(
        " ".join(
            _pages(get_ok(client, f"/statistik/{glostrup.pk}/aarsstatus.pdf", _this_year()))
        ).split()
    )

    assert "Flere bekymringer om efteråret" in as_member
    assert "Flere bekymringer om efteråret" not in as_police
    assert "Kun de sager og bekymringer, du har adgang til" in as_police


def test_the_statistics_csv_opens_with_its_filters_and_key_figures(
    client: Client, tally: Tally
) -> None:
    client.force_login(tally.consultant)

    rows = csv_rows(
        get_ok(client, tally.url("statistik.csv"), {**PERIOD, "skole": str(tally.east.pk)})
    )

    assert rows[0] == ["Tabel", "Række", "Kolonne", "Værdi"]
    assert ["Valgte filtre", "Skole", "", "Østskolen"] in rows
    assert ["Valgte filtre", "Periode", "", "1. januar 2026 – 31. marts 2026"] in rows
    assert any(row[:2] == ["Nøgletal", "Bekymringer"] for row in rows)


def test_key_figures_that_are_counts_are_numbers_in_excel(client: Client, tally: Tally) -> None:
    client.force_login(tally.consultant)

    overview = sheet_rows(read_workbook(get_ok(client, tally.url("statistik.xlsx"), PERIOD)).active)
    figures = {row[0]: row[1] for row in overview if row and len(row) > 1}

    assert isinstance(figures["Nye sager"], int) or figures["Nye sager"] == "<5"
    assert isinstance(figures["Bekymringer"], int) or figures["Bekymringer"] == "<5"
    assert any(isinstance(value, int) for value in figures.values()), "no count is a number"
    assert isinstance(figures["Skoleteams med plan"], str), "a fraction stays text"


def test_the_access_log_export_says_when_and_with_which_filters(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.consultant)

    preamble, table = read_export(
        client.get("/adgangslog/eksport.csv", {"user": "leder@demo.ssp", "date_from": "2026-01-01"})
    )

    assert preamble["Bruger (e-mail)"] == "leder@demo.ssp"
    assert preamble["Fra"] == "1. januar 2026"
    assert table[0][:2] == ["Tidspunkt", "Bruger"]


def test_an_unfiltered_deletion_log_export_says_so(client: Client, personas: Personas) -> None:
    client.force_login(personas.admin)

    preamble, table = read_export(client.get(f"/opbevaring/{_glostrup().pk}/sletningslog.csv"))

    assert preamble["Kommune"] == "Glostrup"
    assert "Filtre" not in preamble
    assert table[0][0] == "Tidspunkt"


def test_a_filtered_deletion_log_export_names_the_record_type_by_its_label(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.admin)

    preamble, _table = read_export(
        client.get(f"/opbevaring/{_glostrup().pk}/sletningslog.csv", {"record_type": "case"})
    )

    assert preamble["Posttype"] == "Sag"
