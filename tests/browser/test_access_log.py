"""The access log in a real browser: Glostrup's SSP consultant opens it from the menu, finds
who read Mikkel's case by searching his name, and the page names him; the administrator finds
the same reads by case number and sees only his id. axe runs on both pages, also on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from cases.models import Case
from tests.browser.axe import assert_accessible
from tests.browser.conftest import log_in, open_from_menu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MIKKEL = "Demo-Mikkel Eksempelsen"


def _search(page: Page, term: str) -> None:
    page.get_by_label("Den unge (frivilligt)", exact=True).fill(term)
    page.get_by_role("button", name="Søg", exact=True).click()


def test_the_consultant_finds_who_read_a_case_by_the_young_persons_name(
    page: Page, demo_site: str
) -> None:
    case = Case.objects.get(young_person__full_name=MIKKEL)
    log_in(page, demo_site, "leder@demo.ssp")
    page.goto(f"{demo_site}/sager/{case.pk}/")
    page.context.clear_cookies()

    log_in(page, demo_site, "konsulent@demo.ssp")
    open_from_menu(page, "Adgangslog")
    _search(page, "Mikkel")

    found = page.get_by_role("region", name="Søgningen gælder")
    expect(found).to_contain_text(MIKKEL)
    expect(found).to_contain_text(f"sag {case.pk}")
    expect(page.get_by_role("row", name="leder@demo.ssp").first).to_contain_text("Læst")
    assert_accessible(page)


def test_the_administrator_finds_the_reads_by_case_number_without_the_name(
    phone: Page, demo_site: str
) -> None:
    case = Case.objects.get(young_person__full_name=MIKKEL)
    log_in(phone, demo_site, "leder@demo.ssp")
    phone.goto(f"{demo_site}/sager/{case.pk}/")
    phone.context.clear_cookies()

    log_in(phone, demo_site, "admin@demo.ssp")
    phone.goto(f"{demo_site}/adgangslog/")
    _search(phone, str(case.pk))

    found = phone.get_by_role("region", name="Søgningen gælder")
    expect(found).to_contain_text(f"Den unge med id {case.young_person_id}")
    expect(phone.get_by_text(MIKKEL)).to_have_count(0)
    expect(phone.get_by_role("row", name="leder@demo.ssp").first).to_contain_text("Læst")
    assert_accessible(phone)
