"""The organisation's year wheel and the readiness board on a 390 px phone: the consultant
opens the wheel from the prevention page, narrows it to one body, goes to the board, sees what
is ready and what is not, and follows a line to where it is fixed. axe runs on every page; the
screenshots go to /work/tmp/yearwheel/ for a human look."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from prevention.rhythm import RHYTHM, occurrence
from tests.browser.axe import assert_accessible
from tests.browser.conftest import log_in, watched_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("SSP_SCREENSHOTS", "/work/tmp/yearwheel"))


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


def _fits(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "the page scrolls sideways"


def test_the_year_wheel_and_the_board_on_a_phone(phone390: Page, demo_site: str) -> None:
    page = phone390
    log_in(page, demo_site, "konsulent@demo.ssp")
    page.goto(f"{demo_site}/forebyggelse/")
    page.get_by_role("link", name="Årshjul for SSP i Glostrup").click()

    year = timezone.localdate().year
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Årshjul {year}, Glostrup")
    expect(page.locator(".year-wheel-month h2")).to_have_count(12)
    expect(page.get_by_role("heading", name="Januar", exact=False).first).to_be_visible()
    _fits(page)
    assert_accessible(page)
    _shot(page, "year_wheel_phone")

    # One body: the §115 group's weekly meetings, nothing of the others.
    page.get_by_label("Organ", exact=True).select_option(label="Mandagsgruppen (§115)")
    page.get_by_role("button", name="Vis").click()
    assert "organ=" in page.url
    this_month = page.locator(".year-wheel-month.is-current")
    expect(this_month).to_contain_text("Ugentligt §115-møde")
    expect(page.get_by_text("Årets SSP-Forum")).to_have_count(0)
    _fits(page)
    assert_accessible(page)

    page.get_by_role("link", name="Parathed: hvad mangler?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Parathed, Glostrup")
    actioncard = next(item for item in RHYTHM if item.key == "actioncard")
    april = occurrence(actioncard, timezone.localdate())
    not_ready = page.locator("#readiness-not-ready")
    ready = page.locator("#readiness-ready")
    expect(not_ready).to_contain_text(f"ActionCard-udkastet for {april.year} er ikke påbegyndt.")
    expect(not_ready).to_contain_text("Lokalrådets forårsmøde")
    expect(ready).to_contain_text("Årets SSP-Forum er booket")
    _fits(page)
    assert_accessible(page)
    _shot(page, "readiness_phone")

    # A line leads to where it is fixed: the Lokalråd's meeting is booked from here.
    not_ready.get_by_role("link", name="Lokalrådets forårsmøde", exact=False).click()
    expect(page).to_have_url(re.compile(r"/moeder/organ/\d+/nyt/$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_the_board_on_a_desktop(page: Page, demo_site: str) -> None:
    log_in(page, demo_site, "konsulent@demo.ssp")
    page.goto(f"{demo_site}/forebyggelse/")
    page.get_by_role("link", name="Parathed i Glostrup").click()
    expect(page.get_by_role("heading", level=2).first).to_contain_text("ikke klar")
    assert_accessible(page)
    _shot(page, "readiness_desktop")
    page.get_by_role("link", name="Se hele årshjulet").click()
    expect(page.locator(".year-wheel-month")).to_have_count(12)
    assert_accessible(page)
    _shot(page, "year_wheel_desktop")
