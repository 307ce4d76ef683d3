"""The administrator's data-protection pages in a real browser: from the menu to the legal
holds (placed and released), the deletion log and the retention periods (refused, then
saved); a consultant corrects a note on a phone. axe runs on every page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from cases.models import Case, LegalHold, Note, RetentionPolicy
from tests.browser.axe import assert_accessible
from tests.browser.conftest import log_in, open_from_menu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MIKKEL = "Demo-Mikkel Eksempelsen"


def _open_for_glostrup(page: Page, demo_site: str, link: str) -> None:
    """The admin administers two municipalities: the index lists each with its pages."""
    page.goto(f"{demo_site}/opbevaring/")
    glostrup = page.locator("li", has=page.get_by_role("heading", name="Glostrup"))
    glostrup.get_by_role("link", name=link).click()


def test_an_administrator_holds_a_case_releases_it_and_sets_the_periods(
    page: Page, demo_site: str
) -> None:
    mikkel = Case.objects.get(young_person__full_name=MIKKEL)
    log_in(page, demo_site, "admin@demo.ssp")

    open_from_menu(page, "Opbevaring og sletning")
    expect(page.get_by_role("heading", level=1)).to_have_text("Opbevaring og sletning")
    assert_accessible(page)

    _open_for_glostrup(page, demo_site, "Retlig tilbageholdelse")
    expect(page.get_by_role("heading", level=1)).to_have_text("Retlig tilbageholdelse i Glostrup")
    page.get_by_label("Sagsnummer").fill(str(mikkel.pk))
    page.get_by_label("Begrundelse").fill("Politiet har bedt om, at sagen bevares.")
    page.get_by_role("button", name="Tilbagehold").click()
    expect(page.locator("tbody").first).to_contain_text("Politiet har bedt om")
    assert_accessible(page)
    assert "Mikkel" not in page.content()

    page.get_by_role("link", name="Ophæv").click()
    page.get_by_role("button", name="Ophæv").click()
    expect(page.locator(".alert-error, .form-error").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Begrundelse").fill("Retssagen er afsluttet.")
    page.get_by_role("button", name="Ophæv").click()
    expect(page.get_by_text("Tilbageholdelsen er ophævet.")).to_be_visible()
    assert LegalHold.objects.get(case=mikkel).released_at is not None

    _open_for_glostrup(page, demo_site, "Sletningslog")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sletningslog for")
    assert_accessible(page)

    _open_for_glostrup(page, demo_site, "Opbevaringsperioder")
    page.get_by_label("Adgangslog (dage)").fill("30")
    page.get_by_role("button", name="Gem").click()
    expect(page.get_by_text("Vælg mellem 183 og 3650 dage.").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Adgangslog (dage)").fill("400")
    page.get_by_role("button", name="Gem").click()
    expect(page.get_by_text("Opbevaringsperioderne er gemt.")).to_be_visible()
    assert RetentionPolicy.objects.get().audit_log_days == 400


def test_a_consultant_corrects_a_note_on_a_phone(phone: Page, demo_site: str) -> None:
    mikkel = Case.objects.get(young_person__full_name=MIKKEL)
    log_in(phone, demo_site, "konsulent@demo.ssp")

    phone.goto(f"{demo_site}/sager/{mikkel.pk}/")
    phone.get_by_role("link", name="Ret notatet").first.click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Ret notat")
    assert_accessible(phone)
    phone.get_by_label("Rettelse").fill("Det var far, der ringede.")
    phone.get_by_role("button", name="Gem").click()
    expect(phone.get_by_text("Rettelsen er gemt under notatet.")).to_be_visible()
    expect(phone.locator(".note-correction")).to_contain_text("Det var far, der ringede.")
    assert_accessible(phone)
    assert Note.objects.filter(case=mikkel, corrects__isnull=False).count() == 1
