"""The heart of the product in a real browser at phone size: a club worker logs a concern, the
consultant triages it into a case and forms an ad-hoc group with a police officer, that officer
reads the case, and another officer can neither open nor find it. axe runs on every page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from cases.models import Case
from tests.browser.axe import assert_accessible
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YOUNG_PERSON = "Demo-Villads Browsersen"


def _choose(select: Locator, name: str) -> None:
    """Choose the person by name in a chooser that also shows their sector and unit."""
    value = select.locator("option", has_text=name).first.get_attribute("value")
    select.select_option(value=value)


def _phone(browser: Browser) -> Page:
    context = browser.new_context(
        viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True, locale="da-DK"
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def _assert_fits_the_phone(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"{page.url} scrolls sideways on a phone ({width}px wide)"


def test_a_concern_becomes_a_case_shared_with_one_officer_and_hidden_from_another(
    browser: Browser, demo_site: str
) -> None:
    # The club worker logs the concern from the dashboard.
    club = _phone(browser)
    log_in(club, demo_site, "klub@demo.ssp")
    club.get_by_role("link", name="Ny bekymring").first.click()
    expect(club.get_by_role("heading", level=1)).to_have_text("Ny bekymring")
    assert_accessible(club)
    club.get_by_label("Den unges navn").fill(YOUNG_PERSON)
    club.get_by_label(re.compile(r"^Fødselsdato")).fill("2012-03-04")
    club.get_by_label(re.compile(r"^Skole( \(|$)")).select_option(
        label="Glostrup Skole, afdeling Søndervang"
    )
    club.get_by_label("Kriminalitet", exact=True).check()
    club.get_by_label("Hvad har du set eller hørt?").fill(
        "Set med en gruppe ældre drenge ved stationen flere aftener. <script>alert(1)</script>"
    )
    club.get_by_label(re.compile(r"^Hvor( \(|$)")).fill("Stationsforpladsen")
    _assert_fits_the_phone(club)
    club.get_by_role("button", name="Send bekymringen").click()
    expect(club.locator(".alert-success")).to_contain_text("Bekymringen er sendt")
    expect(club.locator(".concern-text")).to_contain_text("<script>alert(1)</script>")
    assert_accessible(club)
    concern_url = club.url

    # The consultant triages it into a case handled by the school's team.
    consultant = _phone(browser)
    log_in(consultant, demo_site, "konsulent@demo.ssp")
    consultant.goto(concern_url)
    expect(consultant.get_by_role("heading", name="Visitation", exact=True)).to_be_visible()
    assert_accessible(consultant)
    consultant.get_by_label("Opret en ny sag").check()
    consultant.get_by_label("Ansvarligt team eller gruppe").select_option(
        label="SSP-team Søndervang"
    )
    consultant.get_by_role("button", name="Visiter").click()
    expect(consultant.get_by_role("heading", level=1)).to_contain_text(YOUNG_PERSON)
    assert_accessible(consultant)
    case_url = consultant.url
    case = Case.objects.get(young_person__full_name=YOUNG_PERSON)
    assert case_url.endswith(f"/sager/{case.pk}/")

    # … forms an ad-hoc group with herself as its coordinator (a police officer can never
    # coordinate a case) …
    consultant.get_by_role("link", name="Opret ad hoc-gruppe").click()
    expect(consultant.get_by_role("heading", level=1)).to_have_text("Opret ad hoc-gruppe")
    assert_accessible(consultant)
    _choose(consultant.get_by_label("Tovholder for gruppen og sagen"), "Kirsten Kragh")
    consultant.get_by_role("button", name="Opret gruppen").click()
    expect(consultant.get_by_role("heading", level=1)).to_contain_text(YOUNG_PERSON)

    # … and adds the prevention officer under a §115 basis given for him in the same step.
    consultant.get_by_role("link", name="Tilføj til gruppen").click()
    expect(consultant.get_by_role("heading", level=1)).to_have_text("Tilføj til ad hoc-gruppen")
    assert_accessible(consultant)
    _choose(consultant.get_by_label("Person", exact=True), "Peter Poulsen")
    # A police officer joins only with a basis of his own: refused without one …
    consultant.get_by_role("button", name="Gem").click()
    expect(consultant.locator("[data-error-summary]")).to_contain_text(
        "Peter Poulsen arbejder i en sektor, der ikke selv behandler sagen"
    )
    assert_accessible(consultant)
    # … and added once the three §115 criteria are confirmed with a purpose.
    consultant.get_by_label("Modtagerne er en del af SSP-samarbejdet").check()
    consultant.get_by_label("Oplysningerne er rimelige og relevante for modtagerne").check()
    consultant.get_by_label("Det er nødvendigt at dele for at forebygge kriminalitet").check()
    consultant.get_by_label("Formål med adgangen").fill("Politiet kender gruppen ved stationen.")
    consultant.get_by_role("button", name="Gem").click()
    expect(consultant.locator(".alert-success")).to_contain_text("Ad hoc-gruppen er opdateret")
    expect(consultant.get_by_role("heading", name="Ad hoc-gruppe")).to_be_visible()
    expect(consultant.locator("body")).to_contain_text("Peter Poulsen")
    assert_accessible(consultant)

    # The officer in the group finds the case by name and reads it.
    police = _phone(browser)
    log_in(police, demo_site, "politi@demo.ssp")
    police.goto(f"{demo_site}/sager/?q=Villads")
    expect(police.locator("#case-results")).to_contain_text(YOUNG_PERSON)
    assert_accessible(police)
    police.get_by_role("link", name=f"Sag {case.pk}").click()
    expect(police.get_by_role("heading", level=1)).to_contain_text(YOUNG_PERSON)
    expect(police.locator("body")).to_contain_text("Set med en gruppe ældre drenge")
    _assert_fits_the_phone(police)
    assert_accessible(police)

    # The other officer gets 404 on the URL and finds nothing.
    other = _phone(browser)
    log_in(other, demo_site, "politi2@demo.ssp")
    response = other.goto(case_url)
    assert response is not None
    assert response.status == 404
    other.goto(f"{demo_site}/sager/?q=Villads")
    expect(other.locator("#case-results")).to_contain_text("0 sager")
    expect(other.locator("body")).not_to_contain_text(YOUNG_PERSON)
    assert_accessible(other)
