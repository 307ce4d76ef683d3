"""Passkeys in the browser, with Chromium's virtual authenticator (WebAuthn over CDP): a
persona proves the app, adds a passkey on the account page, signs out, and signs in again
with the password and the passkey instead of a code. No CSP refusal (the fixture fails the
test on one) and axe-clean pages."""

from __future__ import annotations

import pytest
from django_otp_webauthn.models import WebAuthnCredential
from playwright.sync_api import Page, expect

from ssp.models import AuditAction, AuditEvent, User
from tests.browser.axe import assert_accessible
from tests.browser.conftest import log_in
from tests.personas import DEMO_PASSWORD
from tests.two_factor import code_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "leder@demo.ssp"


def _virtual_authenticator(page: Page) -> None:
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )


def test_a_persona_adds_a_passkey_and_signs_in_with_it(
    page: Page, demo_site: str, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [demo_site]
    _virtual_authenticator(page)
    leader = User.objects.get(email=EMAIL)
    log_in(page, demo_site, EMAIL)

    page.goto(f"{demo_site}/konto/totrinslogin/")
    expect(page.get_by_role("heading", name="Adgangsnøgler")).to_be_visible()
    assert_accessible(page)
    page.locator("input[name='passkey-code']").fill(code_for(leader))
    page.get_by_role("button", name="Fortsæt til adgangsnøgle").click()
    page.get_by_role("button", name="Tilføj adgangsnøgle").click()
    # The ceremony is three round trips and the authenticator's signature before the page
    # reloads: on a loaded test machine that takes longer than an ordinary click.
    expect(page.get_by_role("button", name="Fjern Adgangsnøgle")).to_be_visible(timeout=20_000)
    assert_accessible(page)

    assert WebAuthnCredential.objects.filter(user=leader, confirmed=True).count() == 1
    assert AuditEvent.objects.filter(
        user_id=leader.pk, action=AuditAction.CREATE, purpose="Adgangsnøgle tilføjet"
    ).exists()

    page.get_by_role("button", name="Log af").first.click()
    page.goto(f"{demo_site}/log-ind/")
    page.get_by_label("E-mail").fill(EMAIL)
    page.get_by_label("Adgangskode").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    expect(page.get_by_role("button", name="Log ind med adgangsnøgle")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Log ind med adgangsnøgle").click()

    expect(page).to_have_url(f"{demo_site}/", timeout=20_000)
    expect(page.get_by_role("button", name="Log af").first).to_be_attached()
    assert WebAuthnCredential.objects.get(user=leader).last_used_at is not None
