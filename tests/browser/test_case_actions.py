"""The case page's actions in a real browser, on a desktop and on a 390 px phone: the overdue
action is flagged in words, the coordinator is asked to name who owns the unowned one and does
so, and "Mine opgaver" shows both; axe finds nothing and nothing scrolls sideways. Screenshots
are left in test-artifacts/ for a person to look at."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from cases.models import Action, Case
from devtools.demo import actions as demo
from tests.browser.axe import assert_accessible
from tests.browser.conftest import log_in, watched_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
AMALIE = "Demo-Amalie Tænktsen"
PHONE_WIDTH = 390


@pytest.fixture
def phone_390(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(
        viewport={"width": PHONE_WIDTH, "height": 844},
        is_mobile=True,
        has_touch=True,
        locale="da-DK",
    )
    with watched_page(context) as page:
        yield page


def _walk(page: Page, demo_site: str, width: int, name: str) -> None:
    case = Case.objects.get(young_person__full_name=AMALIE)
    ARTIFACTS.mkdir(exist_ok=True)
    log_in(page, demo_site, "konsulent@demo.ssp")

    tasks = page.locator("h2", has_text="Mine opgaver").locator("..")
    expect(tasks.get_by_role("heading", name="Indsatser uden ansvarlig")).to_be_visible()
    expect(tasks.get_by_role("link", name=demo.UNASSIGNED)).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / f"mine-opgaver-{name}.png"), full_page=True)
    assert_accessible(page)

    page.goto(f"{demo_site}/sager/{case.pk}/")
    expect(page.locator("#case-actions-attention")).to_contain_text(
        "1 indsats har overskredet fristen."
    )
    expect(page.locator("#case-actions-attention")).to_contain_text(
        "1 indsats har ingen ansvarlig."
    )
    overdue = page.locator("li", has_text=demo.OVERDUE).last
    expect(overdue.locator(".badge", has_text="Overskredet")).to_be_visible()
    unowned = page.locator("li", has_text=demo.UNASSIGNED).last
    expect(unowned.locator(".badge", has_text="Ingen ansvarlig")).to_be_visible()
    page.locator("#case-actions-attention").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / f"case-actions-{name}.png"), full_page=True)
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    unowned.get_by_role("link", name="Vælg ansvarlig").click()
    page.get_by_label("Ansvarlig").select_option(
        label="Sara Skov — Socialforvaltning, Familieafsnittet"
    )
    page.screenshot(path=str(ARTIFACTS / f"action-assign-{name}.png"), full_page=True)
    assert_accessible(page)
    page.get_by_role("button", name="Gem").click()

    expect(page.get_by_text("Indsatsen har fået en ansvarlig.")).to_be_visible()
    expect(page.locator("#case-actions-attention")).not_to_contain_text("ingen ansvarlig")
    action = Action.objects.get(title=demo.UNASSIGNED)
    assert action.responsible is not None
    assert action.responsible.full_name == "Sara Skov"


def test_the_coordinator_sees_overdue_and_unowned_actions_and_names_an_owner(
    page: Page, demo_site: str
) -> None:
    _walk(page, demo_site, 1280, "desktop")


def test_the_same_on_a_390_px_phone(phone_390: Page, demo_site: str) -> None:
    _walk(phone_390, demo_site, PHONE_WIDTH, "phone")
