"""Every demo persona signs in and walks the organisation pages in a real browser, and
axe finds no WCAG 2.1 A/AA violation on any page they see."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from forum.models import Membership
from tests.browser.axe import assert_accessible
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# persona login -> a body to open, a member it lists, and a colleague to find in the directory
WALKS = {
    "konsulent@demo.ssp": ("Mandagsgruppen (§115)", "Kirsten Kragh", "Sara Skov"),
    "leder@demo.ssp": ("SSP-team Vestervang", "Lars Lund", "Kasper Krog"),
    "politi@demo.ssp": ("SSP-team Vestervang", "Peter Poulsen", "Lars Lund"),
    "politi2@demo.ssp": ("SSP-team Nordvang", "Pia Pedersen", "Erik Eriksen"),
    "social@demo.ssp": ("SSP-team Nordvang", "Sara Skov", "Pia Pedersen"),
    "klub@demo.ssp": ("Aktivitetsgruppen", "Kasper Krog", "Mads Møller"),
    "admin@demo.ssp": ("SSP-Forum Glostrup", "Jens Juhl", "Ida Iversen"),
}


@pytest.mark.parametrize("email", list(WALKS))
def test_persona_walks_dashboard_organisation_body_and_directory(
    page: Page, demo_site: str, email: str
) -> None:
    body_name, member, colleague = WALKS[email]

    log_in(page, demo_site, email)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Velkommen")
    expect(page.locator(".portal-user")).to_contain_text("Log af")
    assert_accessible(page)

    page.get_by_role("navigation", name="Hovedmenu").get_by_role(
        "link", name="Organisation"
    ).click()
    if "organisation/kommune/" not in page.url:
        # Staff of several municipalities choose one first.
        page.get_by_role("link", name="Glostrup").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("SSP-organisationen i Glostrup")
    expect(page.get_by_role("link", name="SSP-Forum Glostrup")).to_be_visible()
    assert_accessible(page)

    page.locator(".org-tree-name", has_text=body_name).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(body_name)
    expect(page.locator("#members tbody")).to_contain_text(member)
    assert_accessible(page)

    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Aktører").click()
    # htmx binds its triggers when the page has loaded; typing before that would be lost.
    page.wait_for_load_state()
    page.get_by_label("Søg på navn, stilling, enhed eller e-mail").fill(colleague)
    # htmx swaps the results in place and pushes the filter into the URL.
    expect(page.locator("#people-heading")).to_have_text("1 person")
    expect(page.locator("#directory-results")).to_contain_text(colleague)
    expect(page).to_have_url(re.compile(r"q="))
    assert_accessible(page)

    page.locator(".portal-user").get_by_role("button", name="Log af").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log ind")


def test_consultant_uses_the_organisation_on_a_phone(phone: Page, demo_site: str) -> None:
    log_in(phone, demo_site, "konsulent@demo.ssp")
    phone.get_by_role("button", name="Menu").click()
    drawer = phone.get_by_role("dialog", name="Menu")
    expect(drawer).to_be_visible()
    drawer.get_by_role("link", name="Organisation").click()

    expect(phone.get_by_role("heading", level=1)).to_have_text("SSP-organisationen i Glostrup")
    scroll_width = phone.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 375, f"the page scrolls sideways on a phone ({scroll_width}px wide)"
    assert_accessible(phone)
    ARTIFACTS.mkdir(exist_ok=True)
    phone.screenshot(path=str(ARTIFACTS / "organisation-phone.png"), full_page=True)


def test_administrator_adds_a_member_and_changes_a_role_inline(page: Page, demo_site: str) -> None:
    log_in(page, demo_site, "admin@demo.ssp")
    page.goto(f"{demo_site}/organisation/")
    page.get_by_role("link", name="Glostrup").click()
    page.locator(".org-tree-name", has_text="SSP-team Søndervang").click()
    page.evaluate("window.__notReloaded = true")

    page.get_by_label("Person").select_option(label="Henrik Holm (Sundhedsplejen)")
    page.get_by_role("button", name="Tilføj", exact=True).click()
    expect(page.locator("#members")).to_contain_text("Henrik Holm er tilføjet som medlem.")
    expect(page.locator("#members tbody")).to_contain_text("Henrik Holm")
    # htmx wires up the swapped-in selects once the swap has settled: a change before that
    # would go unheard on a busy machine. (Not `wait_for_function`: when its first look finds
    # the swap still running it polls through eval, which the page's CSP rightly refuses.)
    expect(page.locator(".htmx-swapping, .htmx-settling")).to_have_count(0)

    page.get_by_label("Rolle for Henrik Holm").select_option(label="Tovholder")
    expect(page.locator("#members")).to_contain_text("Rollen er ændret.")

    assert page.evaluate("window.__notReloaded === true"), "htmx should update without a reload"
    membership = Membership.objects.get(
        body__name="SSP-team Søndervang", person__full_name="Henrik Holm"
    )
    assert membership.role == "coordinator"
    assert_accessible(page)


def test_wrong_password_shows_an_accessible_error_summary(page: Page, demo_site: str) -> None:
    log_in(page, demo_site, "leder@demo.ssp", password="forkert")

    summary = page.locator(".alert-error")
    expect(summary).to_contain_text("Der er problemer på siden")
    expect(summary).to_contain_text("E-mail eller adgangskode er forkert")
    expect(page.get_by_label("E-mail")).to_have_value("leder@demo.ssp")
    assert_accessible(page)


def test_language_switch_turns_the_interface_english(page: Page, demo_site: str) -> None:
    page.goto(f"{demo_site}/log-ind/")
    expect(page.locator("html")).to_have_attribute("lang", "da")

    page.get_by_role("button", name="English").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    assert_accessible(page)
