"""Invitations an import held back, sent by the administrator on a 390 px phone: from the
organisation page to "Invitationer, der venter", "Vælg alle", the confirmation with the count,
and the result per person (two sent, the police officer refused the consultant role); then
"Send igen" for someone who has not signed in. axe-clean, nothing scrolls sideways, and each
invited person is mailed once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core import mail
from playwright.sync_api import Browser, Page, expect

from devtools.demo.heldlogins import HELD
from forum.login_models import HeldLogin
from forum.models import Municipality
from ssp.models import User
from tests.browser.axe import assert_accessible
from tests.browser.conftest import log_in, watched_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_WIDTH = 390


@pytest.fixture
def phone_390(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(
        viewport={"width": PHONE_WIDTH, "height": 844},
        is_mobile=True,
        has_touch=True,
        locale="da-DK",
    )
    with watched_page(context) as page:
        yield page


def _no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{page.url} scrolls sideways ({width} px)"


def test_the_administrator_sends_the_held_invitations_on_a_phone(
    phone_390: Page, demo_site: str
) -> None:
    page = phone_390
    glostrup = Municipality.objects.get(code="161")
    log_in(page, demo_site, "admin@demo.ssp")
    page.goto(f"{demo_site}{glostrup.get_absolute_url()}")

    page.get_by_role("link", name="Invitationer, der venter").click()
    expect(page.get_by_role("heading", name="Invitationer, der venter", level=1)).to_be_visible()
    for name, *_rest in HELD:
        expect(page.locator("#held-logins").get_by_role("link", name=name)).to_be_visible()
    assert_accessible(page)
    _no_sideways_scroll(page)
    assert not [m for m in mail.outbox if "importeret" in m.to[0]], "mailed before sending"

    page.get_by_label("Vælg alle").check()
    page.get_by_role("button", name="Send invitationer til de valgte").click()
    expect(page.locator("#send-count")).to_contain_text("invitationer til 3 personer")
    assert_accessible(page)
    page.get_by_role("button", name="Send 3 invitationer").click()

    expect(page.get_by_text("2 invitationer sendes nu.")).to_be_visible()
    expect(page.locator("#refused-list")).to_contain_text("Demo-Ida Indsendt")
    expect(page.locator("#refused-list")).to_contain_text("SSP-konsulent")
    assert_accessible(page)
    _no_sideways_scroll(page)
    for _name, _title, _sector, _unit, email, consultant, _admin in HELD:
        sent = [m for m in mail.outbox if email in m.to]
        assert len(sent) == (0 if consultant else 1), email
    assert list(HeldLogin.objects.values_list("person__email", flat=True)) == [
        "ida.indsendt@demo.ssp"
    ]

    page.get_by_role("link", name="Tilbage til invitationer, der venter").click()
    not_taken_up = page.locator("#not-taken-up")
    expect(not_taken_up.get_by_role("link", name="Demo-Inge Importeret")).to_be_visible()
    not_taken_up.get_by_role("button", name="Send igen Demo-Inge Importeret").click()
    expect(page.get_by_text("Invitationen til Demo-Inge Importeret er sendt igen")).to_be_visible()
    assert_accessible(page)
    assert len([m for m in mail.outbox if "inge.importeret@demo.ssp" in m.to]) == 2
    assert User.objects.get(email="inge.importeret@demo.ssp").last_login is None
