"""The case page's "Skift status" and "Registrer samtykke" sections in a real browser: with
JavaScript the form is fetched when the section is opened; without it the section's link opens
the form on a page of its own. Either way the consultant changes the status of a demo case."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from cases.models import Case, CaseStatus
from tests.browser.axe import assert_accessible
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MIKKEL = "Demo-Mikkel Eksempelsen"


def _consultant(browser: Browser, demo_site: str, *, javascript: bool) -> Page:
    context = browser.new_context(
        viewport={"width": 390, "height": 900},
        is_mobile=True,
        locale="da-DK",
        java_script_enabled=javascript,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, demo_site, "konsulent@demo.ssp")
    return page


def test_opening_the_section_fetches_the_status_form(browser: Browser, demo_site: str) -> None:
    case = Case.objects.get(young_person__full_name=MIKKEL)
    page = _consultant(browser, demo_site, javascript=True)
    page.goto(f"{demo_site}{case.get_absolute_url()}")
    expect(page.get_by_label("Ny status")).to_have_count(0)

    page.get_by_text("Skift status", exact=True).click()
    page.get_by_label("Ny status").select_option("follow_up")
    # The consent section, still closed, still has its link and no form.
    expect(page.locator(f'a[href="/sager/{case.pk}/samtykke/"]')).to_have_count(1)
    expect(page.locator(f'form[action="/sager/{case.pk}/samtykke/"]')).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("button", name="Skift status").click()

    expect(page.locator(".alert-success")).to_contain_text("Sagens status er ændret")
    case.refresh_from_db()
    assert case.status == CaseStatus.FOLLOW_UP


def test_without_javascript_the_link_opens_the_form_on_its_own_page(
    browser: Browser, demo_site: str
) -> None:
    case = Case.objects.get(young_person__full_name=MIKKEL)
    page = _consultant(browser, demo_site, javascript=False)
    page.goto(f"{demo_site}{case.get_absolute_url()}")

    page.get_by_text("Skift status", exact=True).click()
    page.locator(f'a[href="/sager/{case.pk}/status/"]').click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Skift status")
    expect(page.get_by_text(MIKKEL)).to_be_visible()
    page.get_by_label("Ny status").select_option("follow_up")
    page.get_by_role("button", name="Skift status").click()

    expect(page.locator(".alert-success")).to_contain_text("Sagens status er ændret")
    case.refresh_from_db()
    assert case.status == CaseStatus.FOLLOW_UP
