""" "Skjul skærm": a consultant reading a case blanks the screen at once, with the button or by
pressing Escape twice; the tab's title no longer names the young person; only the button on the
blank screen brings the page back."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from cases.models import Case
from tests.browser.axe import assert_accessible
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YOUNG_PERSON = "Demo-Jonas Fiktivsen"


def _open_case(page: Page, demo_site: str) -> None:
    log_in(page, demo_site, "konsulent@demo.ssp")
    case = Case.objects.get(young_person__full_name=YOUNG_PERSON)
    page.goto(f"{demo_site}/sager/{case.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(YOUNG_PERSON)


def _assert_hidden(page: Page) -> None:
    expect(page.get_by_text("Skærmen er skjult.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_be_hidden()
    assert YOUNG_PERSON not in page.title()
    assert page.title() == "SSP-samarbejde"


def test_the_button_blanks_the_case_and_only_the_show_button_brings_it_back(
    page: Page, demo_site: str
) -> None:
    _open_case(page, demo_site)
    title = page.title()

    page.get_by_role("button", name="Skjul skærm").click()

    _assert_hidden(page)
    assert_accessible(page)
    page.keyboard.press("a")
    page.mouse.click(10, 10)
    _assert_hidden(page)
    page.get_by_role("button", name="Vis siden igen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(YOUNG_PERSON)
    expect(page.get_by_text("Skærmen er skjult.")).to_be_hidden()
    assert page.title() == title


def test_escape_pressed_twice_blanks_the_screen_and_once_does_not(
    page: Page, demo_site: str
) -> None:
    _open_case(page, demo_site)

    page.keyboard.press("Escape")
    page.wait_for_timeout(800)
    page.keyboard.press("Escape")
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    _assert_hidden(page)
