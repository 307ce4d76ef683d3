"""The session warning: before the idle limit the page says the user will be signed out and
lets them continue without losing what they typed; ignored, it ends on the login page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.axe import assert_accessible
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Short limits for the test: the warning shows 4 seconds after the last request.
IDLE_SECONDS = 10
WARNING_SECONDS = 6
TYPED = "Set ved stationen tre aftener i træk."


@pytest.fixture(autouse=True)
def _short_session(settings) -> None:  # type: ignore[no-untyped-def]
    settings.SESSION_IDLE_SECONDS = IDLE_SECONDS
    settings.SESSION_WARNING_SECONDS = WARNING_SECONDS


def test_the_user_continues_from_the_warning_and_keeps_what_they_typed(
    page: Page, demo_site: str
) -> None:
    log_in(page, demo_site, "social@demo.ssp")
    page.goto(f"{demo_site}/bekymringer/ny/")
    page.get_by_label("Hvad har du set eller hørt?").fill(TYPED)
    warning = page.get_by_role("alertdialog")

    expect(warning).to_be_visible(timeout=(IDLE_SECONDS - WARNING_SECONDS + 3) * 1000)
    expect(warning).to_contain_text("Du bliver snart logget af")
    assert_accessible(page)
    page.get_by_role("button", name="Fortsæt").click()

    expect(warning).to_be_hidden()
    # Past the first limit: still signed in, on the same page, with the text.
    page.wait_for_timeout((IDLE_SECONDS - WARNING_SECONDS + 1) * 1000)
    assert "/bekymringer/ny/" in page.url
    expect(page.get_by_label("Hvad har du set eller hørt?")).to_have_value(TYPED)


def test_an_ignored_warning_ends_on_the_login_page_with_the_reason(
    page: Page, demo_site: str
) -> None:
    log_in(page, demo_site, "social@demo.ssp")
    page.goto(f"{demo_site}/moeder/")

    page.wait_for_url("**/log-ind/?next=%2Fmoeder%2F", timeout=(IDLE_SECONDS + 8) * 1000)

    expect(page.locator("#messages")).to_contain_text("Du er logget af")
