"""The administrator keeps the municipality's body types on a phone: from the organisation
page to a new type, a refusal with the input kept, and the type listed with its facts. axe
runs on every page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from forum.models import BodyType
from tests.browser.axe import assert_accessible
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_administrator_adds_a_body_type_on_a_phone(phone: Page, demo_site: str) -> None:
    log_in(phone, demo_site, "admin@demo.ssp")
    phone.goto(f"{demo_site}/organisation/")
    phone.get_by_role("link", name="Glostrup").first.click()
    phone.get_by_role("link", name="Ny organtype").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Ny organtype")
    assert_accessible(phone)

    phone.get_by_label("Navn").fill("Infohus")
    phone.get_by_label("Fungerer som").select_option(label="Infohus")
    phone.get_by_role("button", name="Gem").click()
    expect(phone.locator("#id_name-error")).to_contain_text(
        "Kommunen har allerede en organtype med det navn."
    )
    expect(phone.get_by_label("Navn")).to_have_value("Infohus")
    assert_accessible(phone)

    phone.get_by_label("Navn").fill("Lokal Følgegruppe Nord")
    phone.get_by_label("Fungerer som").select_option(label="SSP-Følgegruppe")
    phone.get_by_label("Mødeår og -rytme").fill("Fire møder om året")
    phone.get_by_role("button", name="Gem").click()

    expect(phone.get_by_text("Organtypen Lokal Følgegruppe Nord er oprettet.")).to_be_visible()
    item = phone.locator(".body-type-list li", has_text="Lokal Følgegruppe Nord")
    expect(item).to_contain_text("Fungerer som SSP-Følgegruppe")
    expect(item).to_contain_text("0 organer")
    expect(item).to_contain_text("Fire møder om året")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(phone)
    assert BodyType.objects.filter(name="Lokal Følgegruppe Nord").count() == 1
