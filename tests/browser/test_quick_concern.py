"""A concern about a child the reporter already works with, on a 390 px phone: found through
the lookup, the Barnets lov question answered when it appears, sent in at most six taps plus
typing and accepted on the first submit; Back and Send again makes no second concern; axe
finds nothing on the way."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from cases.models import Concern
from tests.browser.axe import assert_accessible
from tests.browser.conftest import log_in, watched_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHILD = "Demo-Freja Fantasisen"  # the club worker's own earlier concern: in their lookup
TEXT = "Sad alene i klubben hele aftenen og ville ikke tale med nogen."
MAX_TAPS = 6


class Taps:
    """Counts every tap on the page; typing on the keyboard is not counted."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, target: Locator) -> None:
        self.count += 1
        target.tap()


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


def test_a_known_childs_concern_in_six_taps_accepted_first_time_and_sent_once(
    phone390: Page, demo_site: str
) -> None:
    phone = phone390
    log_in(phone, demo_site, "klub@demo.ssp")
    before = Concern.objects.filter(author__email="klub@demo.ssp").count()
    tap = Taps()

    tap(phone.get_by_role("link", name="Ny bekymring").last)  # the front page's button
    expect(phone.get_by_role("heading", level=1)).to_have_text("Ny bekymring")
    assert_accessible(phone)
    _assert_fits(phone)
    phone.keyboard.type("Freja")  # the lookup has the focus
    child = phone.get_by_label(re.compile(f"^{CHILD}"))
    expect(child).to_be_visible()
    tap(child)
    tap(phone.get_by_label("Mistrivsel", exact=True))
    # Freja is 14 and the category suggests a need for support: the question appears.
    answer = phone.get_by_label("Nej, men det bliver gjort")
    expect(answer).to_be_visible()
    assert_accessible(phone)
    tap(phone.get_by_label("Hvad har du set eller hørt?"))
    phone.keyboard.type(TEXT)
    tap(answer)
    _assert_fits(phone)
    tap(phone.get_by_role("button", name="Send bekymringen"))

    expect(phone.locator(".alert-success")).to_contain_text("Bekymringen er sendt")
    assert tap.count <= MAX_TAPS, f"{tap.count} taps for a known child's concern"
    concern = Concern.objects.get(author__email="klub@demo.ssp", description=TEXT)
    assert concern.young_person.full_name == CHILD
    assert phone.url.endswith(f"/bekymringer/{concern.pk}/")
    assert_accessible(phone)

    # Back, and Send again (a flaky connection, an impatient thumb): still one concern.
    phone.go_back()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Ny bekymring")
    phone.get_by_role("button", name="Send bekymringen").tap()

    expect(phone.locator(".alert-success")).to_contain_text("Bekymringen er sendt")
    assert phone.url.endswith(f"/bekymringer/{concern.pk}/"), "Back + Send led elsewhere"
    assert Concern.objects.filter(author__email="klub@demo.ssp").count() == before + 1
