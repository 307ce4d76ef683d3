"""The consultant's side after a concern is in, in a real browser at phone size and on a
desktop: the triage queue and the concern page show what a consultant needs to decide, the
suggested duplicate leads to the merge page, and a correction is made and shown old → new.
axe runs on every page."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from cases.models import Concern, YoungPerson
from devtools.demo.duplicates import AGAIN, REGISTERED
from tests.browser.axe import assert_accessible
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/work/tmp/triage")


def _page(browser: Browser, width: int) -> Page:
    context = browser.new_context(
        viewport={"width": width, "height": 900 if width > 500 else 740},
        is_mobile=width < 500,
        has_touch=width < 500,
        locale="da-DK",
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def _shot(page: Page, name: str) -> None:
    if SHOTS.is_dir():
        page.screenshot(path=str(SHOTS / name), full_page=True)


def _fits(page: Page, width: int) -> None:
    scrolled = page.evaluate("document.documentElement.scrollWidth")
    assert scrolled <= width, f"{page.url} scrolls sideways ({scrolled}px wide)"


@pytest.mark.parametrize("width", [390, 1280])
def test_the_consultant_triages_with_the_facts_merges_the_duplicate_and_corrects(
    browser: Browser, demo_site: str, width: int
) -> None:
    consultant = _page(browser, width)
    log_in(consultant, demo_site, "konsulent@demo.ssp")
    again = Concern.objects.get(young_person__full_name=AGAIN)

    consultant.goto(f"{demo_site}/bekymringer/visitation/")
    row = consultant.locator("li.triage-row", has_text=AGAIN)
    expect(row).to_contain_text("Mulig dublet")
    expect(row).to_contain_text("(SSP)")
    _fits(consultant, width)
    assert_accessible(consultant)
    _shot(consultant, f"queue-{width}.png")

    row.get_by_role("link", name=str(again)).click()
    expect(consultant.locator(".possible-duplicate")).to_contain_text(f"Mulig dublet: {REGISTERED}")
    expect(consultant.locator(".triage-facts")).to_contain_text("Underretning bliver sendt")
    _fits(consultant, width)
    assert_accessible(consultant)
    _shot(consultant, f"concern-{width}.png")

    # Correct the category, in the open.
    consultant.get_by_text("Ret kategori, dato eller den unge").click()
    consultant.locator("#concern-correct-form").get_by_label("Kategori").select_option(label="Vold")
    consultant.locator("#concern-correct-form").get_by_label("Begrundelse").fill(
        "Klubben beskrev en slåskamp."
    )
    consultant.get_by_role("button", name="Gem rettelsen").click()
    expect(consultant.locator(".concern-correction")).to_contain_text("Mistrivsel → Vold")
    assert_accessible(consultant)
    _shot(consultant, f"corrected-{width}.png")

    consultant.get_by_role("link", name="Sammenlign og læg sammen").click()
    expect(consultant.get_by_role("heading", level=1)).to_have_text("Læg dubletter sammen")
    _fits(consultant, width)
    assert_accessible(consultant)
    _shot(consultant, f"merge-{width}.png")
    registered = YoungPerson.objects.get(full_name=REGISTERED)
    consultant.get_by_role("radio", name=f"{REGISTERED} (nr. {registered.pk})").check()
    consultant.get_by_label("Begrundelse").fill("Samme pige; skolen bekræfter.")
    consultant.get_by_role("button", name="Læg sammen").click()

    expect(consultant.locator(".alert-success")).to_contain_text("er lagt sammen med")
    expect(consultant.get_by_role("heading", level=1)).to_have_text("Mulige dubletter")
    assert_accessible(consultant)
    _shot(consultant, f"duplicates-{width}.png")
    assert not YoungPerson.objects.filter(full_name=AGAIN).exists()
