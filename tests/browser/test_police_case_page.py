"""The police officer's case page in a real browser, on a desktop and on a phone: the basis
they read the case through and the Retsplejeloven §115, stk. 2 notice are shown at the top, no
form steers the case (status, consent, sharing, the ad-hoc group), and axe finds nothing."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from cases.models import Case
from tests.browser.axe import assert_accessible
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MIKKEL = "Demo-Mikkel Eksempelsen"
TEAM_PURPOSE = "Politiet i teamet kender de ældre drenge og kan bidrage til indsatsen."
STEERING_FORMS = ("status/", "samtykke/", "del/", "gruppe/", "rediger/")


def _check_police_case_page(page: Page, demo_site: str) -> None:
    mikkel = Case.objects.get(young_person__full_name=MIKKEL)
    log_in(page, demo_site, "politi@demo.ssp")
    page.goto(f"{demo_site}/sager/{mikkel.pk}/")

    notice = page.locator(".case-access-notice")
    expect(notice).to_be_visible()
    expect(notice.get_by_role("heading", name="Derfor kan du se sagen")).to_be_visible()
    expect(notice).to_contain_text("Retsplejelovens § 115 (de tre kriterier er bekræftet)")
    expect(notice).to_contain_text(TEAM_PURPOSE)
    expect(notice).to_contain_text("indtil den tilbagekaldes")
    expect(notice).to_contain_text("Retsplejelovens § 115, stk. 2:")
    expect(notice).to_contain_text("du må ikke bruge dem til at efterforske en straffesag")
    # The notice comes before the case itself.
    assert (
        notice.bounding_box()["y"]
        < page.get_by_role("heading", name="Tidslinje").bounding_box()["y"]
    )

    for suffix in STEERING_FORMS:
        assert page.locator(f'form[action$="/{mikkel.pk}/{suffix}"]').count() == 0, suffix
        assert page.locator(f'a[href$="/{mikkel.pk}/{suffix}"]').count() == 0, suffix
    for label in ("Skift status", "Registrer samtykke", "Del sagen", "Opret ad hoc-gruppe"):
        expect(page.get_by_text(label, exact=True)).to_have_count(0)
    expect(page.get_by_text("Hvem kan se sagen, og hvorfor")).to_have_count(0)
    # The officer adds their own notes.
    expect(page.get_by_role("button", name="Gem notat")).to_be_visible()
    assert_accessible(page)


def test_the_police_officer_sees_the_basis_and_the_stk_2_notice_and_no_steering_forms(
    page: Page, demo_site: str
) -> None:
    _check_police_case_page(page, demo_site)


def test_the_police_case_page_reads_the_same_on_a_phone(phone: Page, demo_site: str) -> None:
    _check_police_case_page(phone, demo_site)
    notice = phone.locator(".case-access-notice")
    box = notice.bounding_box()
    assert box is not None
    assert box["width"] <= 375
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
