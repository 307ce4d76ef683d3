"""A platform operator sets up a new municipality in a real browser: from the organisation
index to the set-up form, a refused line kept on the page, then Køge from its preset with its
first staff invited, and the new organisation page with its body types. axe runs on every
page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from devtools.demo.two_factor import demo_authenticator_set
from forum.models import Affiliation, Municipality
from ssp.models import Sector, User
from tests.browser.axe import assert_accessible
from tests.browser.conftest import log_in
from tests.personas import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_operator_sets_up_koege_from_a_preset(page: Page, demo_site: str) -> None:
    operator = User.objects.create_superuser(
        "drift@test.ssp", password=DEMO_PASSWORD, full_name="Dorte Drift", sector=Sector.OTHER
    )
    demo_authenticator_set(user=operator)
    log_in(page, demo_site, operator.email)

    page.goto(f"{demo_site}/organisation/")
    page.get_by_role("link", name="Opret en ny kommune").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Opret en ny kommune")
    assert_accessible(page)

    page.get_by_label("Kommunens navn").fill("Køge")
    page.get_by_label("Kommunekode").fill("259")
    page.get_by_label("Ny politikreds").fill("Midt- og Vestsjællands Politi")
    page.get_by_label("Køge: SSP-Styregruppe", exact=False).check()
    page.get_by_label("SSP-konsulenter").fill("Karen Konsulent, karen@koege.example")
    page.get_by_label("Administratorer").fill("Anders Admin, anders@")
    page.get_by_role("button", name="Opret kommunen og send invitationer").click()

    expect(page.locator("#id_administrators-error")).to_contain_text(
        "Linje 1: »Anders Admin, anders@« er ikke en e-mailadresse."
    )
    expect(page.get_by_label("Kommunens navn")).to_have_value("Køge")
    assert_accessible(page)
    assert not Municipality.objects.filter(code="259").exists()

    page.get_by_label("Administratorer").fill("Anders Admin, anders@koege.example")
    page.get_by_role("button", name="Opret kommunen og send invitationer").click()

    # First-run set-up, then import (tests/browser/test_org_import.py goes on from here).
    expect(page.get_by_role("heading", level=1)).to_have_text("Importér Køges organisation")
    expect(page.get_by_text("Køge er oprettet med sin organisation")).to_be_visible()
    page.get_by_role("navigation", name="Brødkrumme").get_by_role("link", name="Køge").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("SSP-organisationen i Køge")
    expect(page.get_by_role("link", name="SSP-Styregruppen")).to_be_visible()
    expect(page.get_by_role("heading", name="Kommunens organtyper")).to_be_visible()
    assert_accessible(page)
    koege = Municipality.objects.get(code="259")
    assert Affiliation.objects.get(
        municipality=koege, user__email="anders@koege.example"
    ).is_administrator
