"""The prevention account and the Kredsråd's samarbejdsplan in a real browser on a 390 px
phone: Glostrup's SSP consultant goes from the statistics to the prevention account, reads the
demo year's bars and figures (real numbers, not "<5"), then opens the Kredsråd's draft, edits
a section and saves it. axe runs on every page; screenshots go to /work/tmp/account/."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from forum.models import Municipality
from reports.models import CooperationPlanSection
from tests.browser.axe import assert_accessible
from tests.browser.conftest import log_in, watched_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("SSP_SCREENSHOTS_ACCOUNT", "/work/tmp/account"))


@pytest.fixture
def phone390(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="da-DK"
    )
    with watched_page(context) as page:
        yield page


def _shot(page: Page, name: str) -> None:
    if SHOTS.parent.exists():
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_the_consultant_reads_the_prevention_account_and_edits_the_kredsraad_draft(
    phone390: Page, demo_site: str
) -> None:
    page = phone390
    glostrup = Municipality.objects.get(code="161")
    log_in(page, demo_site, "konsulent@demo.ssp")
    page.goto(f"{demo_site}/statistik/{glostrup.pk}/")
    page.get_by_role("link", name="Se forebyggelsesregnskabet for samme periode").click()

    expect(page).to_have_url(re.compile(rf"/statistik/{glostrup.pk}/forebyggelse/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Forebyggelsesregnskab for Glostrup")
    kinds = page.get_by_role("table", name="Aktiviteter og rækkevidde pr. type")
    street = kinds.get_by_role("row", name=re.compile("Gadeplansrunde"))
    expect(street).to_be_visible()
    # The demo's Friday rounds this year: a real count, never "<5".
    count = int(street.get_by_role("cell").first.inner_text())
    assert count >= 5, f"the demo shows only {count} street rounds"
    expect(page.get_by_role("table", name="Aktiviteter pr. type og niveau")).to_be_visible()
    expect(page.locator(".statistics-chart svg").first).to_be_visible()
    expect(page.get_by_role("link", name="Hent Excel")).to_be_visible()
    assert_accessible(page)
    _shot(page, "prevention_account_phone")

    page.get_by_role("link", name="Kredsrådets samarbejdsplan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kredsrådets samarbejdsplan")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(r"Samarbejdsplan \d{4}")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"Samarbejdsplan \d{4}"))
    joint = page.get_by_label("Fælles indsatser")
    expect(joint).to_contain_text("forebyggende aktiviteter")
    assert_accessible(page)
    _shot(page, "cooperation_plan_phone")

    joint.fill("Fælles gadeplan i sommerferien i Glostrup og Albertslund.")
    page.get_by_role("button", name="Gem ændringer").click()

    expect(page.get_by_role("status").or_(page.locator(".alert-success")).first).to_be_visible()
    expect(page.get_by_label("Fælles indsatser")).to_have_value(
        "Fælles gadeplan i sommerferien i Glostrup og Albertslund."
    )
    section = CooperationPlanSection.objects.get(kind="joint")
    assert section.edited
    assert section.text == "Fælles gadeplan i sommerferien i Glostrup og Albertslund."
