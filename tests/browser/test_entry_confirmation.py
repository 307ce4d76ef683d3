"""An actor without a login opens the spring confirmation link on a phone (390 px): their own
work details, no sideways scrolling, accessible; a wrong phone number is refused with the input
kept, a correction is sent, then they confirm instead; a tampered link gets the Danish page."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from forum import confirmations
from forum.confirmation_models import ConfirmationStatus, EntryConfirmation
from forum.models import Body, Membership, Person
from tests.browser.axe import assert_accessible
from tests.browser.conftest import log_in, open_from_menu, watched_page

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


def test_an_actor_confirms_and_corrects_on_a_phone(narrow_phone: Page, demo_site: str) -> None:
    # The demo's round: Karin Kjær has not answered yet.
    confirmation = EntryConfirmation.objects.select_related("person").get(
        person__full_name="Karin Kjær", person__municipality__code="161"
    )
    link = f"{demo_site}/organisation/bekraeft/{confirmations.token_for(confirmation)}/"
    page = narrow_phone

    page.goto(link)

    expect(page.get_by_role("heading", level=1)).to_have_text("Dine oplysninger i SSP-handlekortet")
    expect(page.get_by_role("heading", name="Karin Kjær")).to_be_visible()
    expect(page.get_by_text("Boligstien 12")).to_have_count(0)  # her private address
    _assert_fits_the_phone(page)
    assert_accessible(page)
    page.screenshot(path="test-artifacts/entry-confirmation-phone.png", full_page=True)

    page.get_by_label("Arbejdstelefon").fill("ring til mig")
    page.get_by_role("button", name="Send rettelser").click()
    expect(page.get_by_text("Skriv et telefonnummer")).to_be_visible()
    expect(page.get_by_label("Arbejdstelefon")).to_have_value("ring til mig")
    _assert_fits_the_phone(page)
    assert_accessible(page)

    page.get_by_label("Arbejdstelefon").fill("+45 20 00 00 99")
    page.get_by_role("button", name="Send rettelser").click()
    expect(page.get_by_text("Tak! Dine rettelser er sendt")).to_be_visible()
    confirmation.refresh_from_db()
    assert confirmation.status == ConfirmationStatus.CORRECTED

    page.get_by_role("button", name="Mine oplysninger er rigtige").click()
    expect(page.get_by_text("Tak! Du har bekræftet")).to_be_visible()
    assert_accessible(page)
    confirmation.refresh_from_db()
    assert confirmation.status == ConfirmationStatus.CONFIRMED

    response = page.goto(link[:-6] + "XXXXX/")
    assert response is not None
    assert response.status == 400
    expect(page.get_by_role("heading", level=1)).to_have_text("Linket virker ikke")
    _assert_fits_the_phone(page)
    assert_accessible(page)


def test_the_consultant_reviews_a_correction_and_the_chair_keeps_the_team(
    page: Page, demo_site: str
) -> None:
    """The demo's waiting correction (Jens Juhl) is accepted from "Bekræftelser"; the chair of
    SSP-team Vestervang seats a new contact. Both pages pass axe."""
    log_in(page, demo_site, "konsulent@demo.ssp")
    open_from_menu(page, "Bekræftelser")

    expect(page.get_by_role("heading", level=1)).to_contain_text("Bekræftelser")
    expect(page.locator("#entry-counts")).to_contain_text("Rettelser foreslået: 1")
    assert_accessible(page)
    page.get_by_role("button", name="Godkend Jens Juhl").click()
    expect(page.get_by_text("Rettelsen for Jens Juhl er godkendt.")).to_be_visible()
    assert Person.objects.get(full_name="Jens Juhl").job_title == "Koordinator for Natteravnene"
    page.context.clear_cookies()

    log_in(page, demo_site, "leder@demo.ssp")
    team = Body.objects.get(name="SSP-team Vestervang")
    page.goto(f"{demo_site}/organisation/organ/{team.pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="Tilføj en ny kontaktperson uden login").click()
    page.get_by_label("Navn").fill("Vibeke Vicevært")
    page.get_by_label("Sektor").select_option("other")
    page.get_by_label("Arbejdstelefon").fill("+45 20 00 00 42")
    assert_accessible(page)
    page.get_by_role("button", name="Gem").click()
    expect(page.get_by_text("Vibeke Vicevært er oprettet og tilføjet som medlem.")).to_be_visible()
    assert Membership.objects.filter(body=team, person__full_name="Vibeke Vicevært").exists()
