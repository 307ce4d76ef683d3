"""The 404 and 500 pages on a phone: in the design, accessible, no sideways scrolling, and the
way back to the front page works."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.axe import assert_accessible
from tests.browser.conftest import watched_page
from tests.ssp.error_urls import FAILING_PATH

pytestmark = pytest.mark.django_db(transaction=True)

PHONE_WIDTH = 390


@pytest.fixture
def narrow_phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(
        viewport={"width": PHONE_WIDTH, "height": 844}, is_mobile=True, locale="da-DK"
    )
    with watched_page(context) as page:
        yield page


def _assert_fits_the_phone(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{page.url} scrolls sideways ({width} px)"


def test_the_404_page_on_a_phone(narrow_phone: Page, live_server) -> None:  # type: ignore[no-untyped-def]
    narrow_phone.goto(f"{live_server.url}/findes-ikke/")

    expect(narrow_phone.get_by_role("heading", level=1)).to_have_text("Siden findes ikke")
    _assert_fits_the_phone(narrow_phone)
    assert_accessible(narrow_phone)
    narrow_phone.get_by_role("link", name="Gå til forsiden").click()
    expect(narrow_phone.get_by_role("heading", level=1)).to_have_text("Log ind")


@pytest.mark.urls("tests.ssp.error_urls")
def test_the_500_page_on_a_phone(narrow_phone: Page, live_server) -> None:  # type: ignore[no-untyped-def]
    narrow_phone.goto(f"{live_server.url}{FAILING_PATH}")

    expect(narrow_phone.get_by_role("heading", level=1)).to_have_text("Der skete en fejl")
    expect(narrow_phone.locator("[data-error-reference]")).to_have_text(
        re.compile(r"^[0-9A-F]{8}$")
    )
    _assert_fits_the_phone(narrow_phone)
    assert_accessible(narrow_phone)
