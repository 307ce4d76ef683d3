"""Public registration for the April SSP-Forum on a 390 px phone, without a login: the form,
the thank-you page and cancelling through the emailed link, checked by axe and for sideways
scrolling; and a leader ticking a newcomer's checklist inline (HTMX), the consultant's
overview, both checked by axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from meetings import registration as services
from meetings.registration_models import Registration, RegistrationOpening
from onboarding.models import Onboarding
from tests.browser.axe import assert_accessible
from tests.browser.conftest import log_in, watched_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

APRIL_FORUM = "SSP-Forum: årets møde"


def _assert_fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{page.url} scrolls sideways on a 390 px phone ({width}px)"


@pytest.fixture
def phone390(browser: Browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="da-DK"
    )
    with watched_page(context) as page:
        yield page


def test_an_outside_invitee_registers_and_cancels_on_a_phone(
    phone390: Page, demo_site: str
) -> None:
    phone = phone390
    opening = RegistrationOpening.objects.get(meeting__title=APRIL_FORUM)

    phone.goto(f"{demo_site}/tilmelding/{opening.token}/")
    expect(phone.get_by_role("heading", level=1)).to_have_text(APRIL_FORUM)
    expect(phone.get_by_text("Der er 2 ledige pladser.")).to_be_visible()
    assert_accessible(phone)
    _assert_fits(phone)
    phone.get_by_label("Navn").fill("Gitte Gæst")
    phone.get_by_label("E-mail").fill("gitte@natteravnene.test")
    phone.get_by_label("Arbejdssted eller organisation").fill("Natteravnene Glostrup")
    phone.get_by_role("button", name="Tilmeld").tap()

    expect(phone.get_by_role("heading", level=1)).to_have_text("Tak for din tilmelding")
    assert_accessible(phone)
    _assert_fits(phone)
    registration = Registration.objects.get(opening=opening, email="gitte@natteravnene.test")
    assert registration.user is None

    phone.goto(f"{demo_site}/tilmelding/afmeld/{services.cancel_token(registration)}/")
    assert_accessible(phone)
    _assert_fits(phone)
    phone.get_by_role("button", name="Meld fra").tap()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Du har meldt fra")
    assert not Registration.objects.filter(pk=registration.pk).exists()


def test_the_leader_ticks_the_checklist_inline_and_the_consultant_sees_the_overview(
    page: Page, demo_site: str
) -> None:
    """The demo newcomer's leader is the coordinator of the Undervisningsgruppe, the SSP
    consultant, who also follows the overview."""
    onboarding = Onboarding.objects.get(person__full_name="Demo-Tine Nylærer")
    log_in(page, demo_site, "konsulent@demo.ssp")

    page.goto(f"{demo_site}/velkommen/{onboarding.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Velkomstpakke: Demo-Tine Nylærer")
    assert_accessible(page)
    # Each button names its item for a screen reader: "Sæt flueben: Rundvisning …".
    page.get_by_role("button", name=re.compile(r"^Sæt flueben\W+Rundvisning")).click()
    expect(
        page.get_by_role("button", name=re.compile(r"^Fjern flueben\W+Rundvisning"))
    ).to_be_visible()
    onboarding.refresh_from_db()
    assert onboarding.tour_at is not None
    assert_accessible(page)

    page.get_by_role("link", name="Introduktion af nye").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Introduktion af nye")
    expect(page.get_by_role("link", name="Demo-Tine Nylærer")).to_be_visible()
    expect(page.get_by_role("link", name="Demo-Frede Færdig")).to_have_count(0)
    assert_accessible(page)
