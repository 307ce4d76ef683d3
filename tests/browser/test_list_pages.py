"""The long lists a page at a time on a 390 px phone, in Danish (issue 18): the consultant
works the triage queue from the most urgent concern and turns its pages, the actor directory
keeps its search from page to page, and "Mine møder" turns to the next upcoming meetings.
The pager fits the screen, and axe runs on every page."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from cases.models import Urgency
from forum import services as forum_services
from forum.models import Body, Municipality
from ssp.models import Sector, User
from tests.browser.axe import assert_accessible
from tests.browser.conftest import log_in
from tests.factories import ConcernFactory, MeetingFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/work/tmp/flatlists")
WIDTH = 390


def _phone(browser: Browser) -> Page:
    context = browser.new_context(
        viewport={"width": WIDTH, "height": 740}, is_mobile=True, has_touch=True, locale="da-DK"
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def _shot(page: Page, name: str) -> None:
    if SHOTS.is_dir():
        page.screenshot(path=str(SHOTS / name), full_page=True)


def _fits(page: Page) -> None:
    scrolled = page.evaluate("document.documentElement.scrollWidth")
    assert scrolled <= WIDTH, f"{page.url} scrolls sideways ({scrolled}px wide)"


def _pager(page: Page):  # type: ignore[no-untyped-def]
    return page.get_by_role("navigation", name="Sidenavigation")


def test_the_consultant_turns_the_pages_of_the_queue_the_directory_and_the_meetings(
    browser: Browser, demo_site: str
) -> None:
    glostrup = Municipality.objects.get(code="161")
    consultant = User.objects.get(email="konsulent@demo.ssp")
    club = User.objects.get(email="klub@demo.ssp")
    for number in range(30):
        ConcernFactory(
            municipality=glostrup,
            author=club,
            urgency=Urgency.URGENT if number == 29 else Urgency.NORMAL,
            young_person__full_name=f"Sideung {number:02}",
        )
    for number in range(30):
        forum_services.person_create(
            municipality=glostrup, full_name=f"Sideperson {number:02}", sector=Sector.LEISURE
        )
    team = Body.objects.filter(municipality=glostrup, memberships__person__user=consultant).first()
    soon = timezone.localtime() + timedelta(days=2)
    for number in range(30):
        starts = soon.replace(minute=0, second=0, microsecond=0) + timedelta(hours=number)
        MeetingFactory(
            body=team,
            organiser=consultant,
            title=f"Sidemøde {number:02}",
            starts_at=starts,
            ends_at=starts + timedelta(hours=1),
        )
    phone = _phone(browser)
    log_in(phone, demo_site, consultant.email)

    # The queue: the urgent concern first, 25 a page, then the rest.
    phone.goto(f"{demo_site}/bekymringer/visitation/")
    rows = phone.locator("li.triage-row")
    expect(rows).to_have_count(25)
    expect(rows.first).to_contain_text("Haster")
    expect(rows.filter(has_text="Sideung 29")).to_contain_text("Haster")
    expect(phone.get_by_role("status")).to_contain_text("nye bekymringer, de mest hastende først")
    _fits(phone)
    assert_accessible(phone)
    _shot(phone, "queue-1.png")
    _pager(phone).get_by_role("link", name="Næste").click()
    expect(_pager(phone)).to_contain_text("Side 2")
    expect(phone.locator("li.triage-row", has_text="Sideung 29")).to_have_count(0)
    _fits(phone)
    assert_accessible(phone)
    _shot(phone, "queue-2.png")
    _pager(phone).get_by_role("link", name="Forrige").click()
    expect(phone.locator("li.triage-row", has_text="Sideung 29")).to_have_count(1)

    # The directory keeps its search from page to page.
    phone.goto(f"{demo_site}/organisation/aktoerer/")
    phone.get_by_label("Søg på navn, stilling, enhed eller e-mail").fill("Sideperson")
    phone.get_by_role("button", name="Søg").click()
    expect(phone.locator("#people-heading")).to_have_text("30 personer")
    _pager(phone).first.get_by_role("link", name="Næste").click()
    expect(phone.locator("#people-heading")).to_have_text("30 personer")
    expect(phone.get_by_role("link", name="Sideperson 29")).to_be_visible()
    expect(phone.get_by_role("link", name="Sideperson 00")).to_have_count(0)
    _fits(phone)
    assert_accessible(phone)
    _shot(phone, "directory-2.png")

    # My meetings: the soonest 25, then the next.
    phone.goto(f"{demo_site}/moeder/")
    expect(phone.get_by_role("link", name="Sidemøde 00")).to_be_visible()
    _fits(phone)
    assert_accessible(phone)
    _shot(phone, "meetings-1.png")
    _pager(phone).get_by_role("link", name="Næste").click()
    expect(phone.get_by_role("link", name="Sidemøde 29")).to_be_visible()
    expect(phone.get_by_role("link", name="Sidemøde 00")).to_have_count(0)
    _fits(phone)
    assert_accessible(phone)
    _shot(phone, "meetings-2.png")
