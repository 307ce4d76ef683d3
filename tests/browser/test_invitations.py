"""An invitation to join another municipality, in the browser: the Albertslund consultant,
invited by Glostrup's administrator, sees the municipality and the roles, and accepts. axe-clean."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from forum import services
from forum.models import Affiliation, Municipality
from ssp.models import Sector, User
from tests.browser.axe import assert_accessible
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_invited_account_sees_who_invites_it_and_accepts(page: Page, demo_site: str) -> None:
    invitee = User.objects.get(email="nina.nielsen@demo.ssp")  # Albertslund only
    glostrup = Municipality.objects.get(code="161")
    services.person_create(
        municipality=glostrup,
        full_name=invitee.full_name,
        sector=Sector.SSP_SECRETARIAT,
        email=invitee.email,
        with_login=True,
        is_administrator=True,
        invited_by=User.objects.get(email="admin@demo.ssp"),
    )
    log_in(page, demo_site, invitee.email)

    page.get_by_role("link", name="Invitationer fra andre kommuner").click()
    expect(page.get_by_role("heading", name="Glostrup")).to_be_visible()
    expect(page.get_by_text("Administrator", exact=True)).to_be_visible()
    expect(page.get_by_text("Anne Andersen")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Tag imod invitationen fra Glostrup").click()

    expect(page.get_by_text("Du er nu tilknyttet Glostrup.")).to_be_visible()
    assert_accessible(page)
    assert Affiliation.objects.get(user=invitee, municipality=glostrup).is_administrator
