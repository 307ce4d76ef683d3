"""A group concern in a real browser: the reporter names a second young person on a phone,
and the demo's group case at the station reads with only the reader's own pupil named for the
school team's club worker and with every name for the consultant. axe runs on every page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from cases.models import Case, Concern
from tests.browser.axe import assert_accessible
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = "/work/tmp/subjects"


def _page(browser: Browser, width: int, *, javascript: bool = True) -> Page:
    context = browser.new_context(
        viewport={"width": width, "height": 900},
        is_mobile=width < 500,
        locale="da-DK",
        java_script_enabled=javascript,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def test_a_reporter_names_two_young_people_on_a_phone(browser: Browser, demo_site: str) -> None:
    club = _page(browser, 390)
    log_in(club, demo_site, "klub@demo.ssp")
    club.goto(f"{demo_site}/bekymringer/ny/")
    club.get_by_label("Den unges navn").fill("Demo-Ida Førstesen")
    club.get_by_text("Handler bekymringen om flere unge?").click()
    club.get_by_label("Ung nr. 2: navn").fill("Demo-Otto Andensen")
    club.get_by_label("Kriminalitet", exact=True).check()
    club.get_by_label("Hvad har du set eller hørt?").fill("To unge truede en yngre elev.")
    club.screenshot(path=f"{SHOTS}/concern-form-390.png", full_page=True)
    assert_accessible(club)
    width = club.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the concern form scrolls sideways on a phone ({width}px)"
    club.get_by_role("button", name="Send bekymringen").click()

    expect(club.locator(".alert-success")).to_contain_text("Bekymringen er sendt")
    expect(club.locator(".subjects-list")).to_contain_text("Demo-Otto Andensen")
    concern = Concern.objects.get(description="To unge truede en yngre elev.")
    assert concern.people.count() == 2
    assert_accessible(club)


def test_without_javascript_the_rows_come_with_the_form_sent_back(
    browser: Browser, demo_site: str
) -> None:
    """The blank form has no rows; opening the section offers a button that sends the form
    back with them, what was typed kept and nothing judged yet."""
    club = _page(browser, 390, javascript=False)
    log_in(club, demo_site, "klub@demo.ssp")
    club.goto(f"{demo_site}/bekymringer/ny/")
    club.get_by_label("Den unges navn").fill("Demo-Ida Førstesen")
    club.get_by_label("Kriminalitet", exact=True).check()
    club.get_by_text("Handler bekymringen om flere unge?").click()
    club.get_by_role("button", name="Vis felter til flere unge").click()

    expect(club.get_by_label("Den unges navn")).to_have_value("Demo-Ida Førstesen")
    expect(club.get_by_label("Kriminalitet", exact=True)).to_be_checked()
    expect(club.locator(".form-error-message")).to_have_count(0)
    second = club.get_by_label("Ung nr. 2: navn")
    expect(second).to_be_focused()
    second.fill("Demo-Otto Andensen")
    club.get_by_label("Hvad har du set eller hørt?").fill("To unge truede en yngre elev uden JS.")
    # (axe needs JavaScript: the JavaScript test above checks the same rows.)
    club.screenshot(path=f"{SHOTS}/concern-form-rows-no-js-390.png", full_page=True)
    club.get_by_role("button", name="Send bekymringen").click()

    expect(club.locator(".alert-success")).to_contain_text("Bekymringen er sendt")
    concern = Concern.objects.get(description="To unge truede en yngre elev uden JS.")
    assert [p.reported_name for p in concern.people.order_by("position")] == [
        "Demo-Ida Førstesen",
        "Demo-Otto Andensen",
    ]


@pytest.mark.parametrize("javascript", [True, False])
def test_enter_in_a_field_sends_the_form_not_asks_for_rows(
    javascript: bool, browser: Browser, demo_site: str
) -> None:
    club = _page(browser, 1280, javascript=javascript)
    log_in(club, demo_site, "klub@demo.ssp")
    club.goto(f"{demo_site}/bekymringer/ny/")
    club.get_by_label("Den unges navn").fill("Demo-Ida Førstesen")
    club.get_by_label("Den unges navn").press("Enter")

    # Sent, and refused for what is missing: the form's error summary, no rows.
    expect(club.locator(".alert-error")).to_be_visible()
    expect(club.get_by_label("Den unges navn")).to_have_value("Demo-Ida Førstesen")
    expect(club.get_by_label("Ung nr. 2: navn")).to_have_count(0)


def test_the_demo_group_case_names_only_what_each_reader_may_see(
    browser: Browser, demo_site: str
) -> None:
    case = Case.objects.get(subject_description="Ældre drenge ved stationen")
    url = f"{demo_site}{case.get_absolute_url()}"

    club = _page(browser, 390)
    log_in(club, demo_site, "klub@demo.ssp")
    club.goto(url)
    expect(club.get_by_role("heading", level=1)).to_contain_text("Ældre drenge ved stationen")
    subjects = club.locator(".subjects-list")
    expect(subjects).to_contain_text("Demo-Malthe Perronsen")
    expect(subjects).not_to_contain_text("Demo-Villads Sporsen")
    expect(subjects).not_to_contain_text("Demo-Anton Togbanesen")
    expect(subjects).to_contain_text("En anden ung")
    club.screenshot(path=f"{SHOTS}/group-case-club-390.png", full_page=True)
    assert_accessible(club)

    consultant = _page(browser, 1280)
    log_in(consultant, demo_site, "konsulent@demo.ssp")
    consultant.goto(url)
    for name in ("Demo-Malthe Perronsen", "Demo-Villads Sporsen", "Demo-Anton Togbanesen"):
        expect(consultant.locator(".subjects-list")).to_contain_text(name)
    expect(consultant.get_by_text(re.compile("Specifik"))).to_be_visible()
    consultant.screenshot(path=f"{SHOTS}/group-case-consultant-desktop.png", full_page=True)
    assert_accessible(consultant)
