"""The statistics page in a real browser: Glostrup's SSP consultant opens Statistik (and lands
on Glostrup, the only municipality), chooses a longer period, and reads the figures. axe runs
on the page; a screenshot is left in test-artifacts/statistics.png for a person to look at."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format
from playwright.sync_api import Page, expect

from cases.models import Concern
from forum.models import Municipality
from tests.browser.axe import assert_accessible
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
COMMENTARY = "Flere bekymringer om efteråret end sidste år."


def test_the_consultant_chooses_a_period_and_reads_glostrups_figures(
    page: Page, demo_site: str
) -> None:
    glostrup = Municipality.objects.get(code="161")
    today = timezone.localdate()
    start = (today - timedelta(days=365)).replace(day=1)
    # The demo concerns were all seeded today.
    concerns = Concern.objects.filter(municipality=glostrup).count()
    assert concerns >= 5, "too few demo concerns to show a figure"
    with translation.override("da"):
        this_month = date_format(today, "b Y")
        period = f"{date_format(start, 'j. F Y')} – {date_format(today, 'j. F Y')}"

    log_in(page, demo_site, "konsulent@demo.ssp")
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Statistik").click()
    expect(page).to_have_url(re.compile(rf"/statistik/{glostrup.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Statistik for Glostrup")

    page.get_by_label("Fra").fill(start.isoformat())
    page.get_by_label("Til og med").fill(today.isoformat())
    page.get_by_role("button", name="Vis tal").click()

    expect(page).to_have_url(re.compile(rf"\?fra={start.isoformat()}&til={today.isoformat()}"))
    expect(page.locator(".statistics-filters-summary")).to_contain_text(period)
    expect(page.get_by_label("Fra")).to_have_value(start.isoformat())
    months = page.get_by_role("table", name="Bekymringer pr. måned")
    expect(months.get_by_role("row")).to_have_count(1 + 13)
    expect(months.get_by_role("row", name=this_month)).to_contain_text(str(concerns))
    expect(page.get_by_role("heading", level=2, name="Skolernes SSP-teams")).to_be_visible()
    # The export takes the filters as submitted, the empty ones too.
    expect(page.get_by_role("link", name="Hent CSV")).to_have_attribute(
        "href",
        f"/statistik/{glostrup.pk}/statistik.csv?fra={start}&til={today}&skole=&organ=&kategori=",
    )
    assert_accessible(page)

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "statistics.png"), full_page=True)


def test_the_consultant_writes_the_yearly_status_commentary_and_downloads_the_pdf(
    page: Page, demo_site: str
) -> None:
    """From the statistics page to the status's cover page: the commentary is written, kept,
    and the PDF that comes back carries it. The cover page passes axe on a phone too."""
    glostrup = Municipality.objects.get(code="161")
    log_in(page, demo_site, "konsulent@demo.ssp")
    page.goto(f"{demo_site}/statistik/{glostrup.pk}/")
    page.get_by_role("link", name="Årsstatus med kommentar (PDF)").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Årsstatus for Glostrup")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page)
    page.get_by_label("Konsulentens kommentar").fill(COMMENTARY)
    with page.expect_response(re.compile(r"/aarsstatus\.pdf\?")) as response_info:
        page.get_by_role("button", name="Gem og hent årsstatus (PDF)").click()

    response = response_info.value
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    page.goto(f"{demo_site}/statistik/{glostrup.pk}/aarsstatus/")
    expect(page.get_by_label("Konsulentens kommentar")).to_have_value(COMMENTARY)
