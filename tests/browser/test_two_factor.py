"""Two-factor sign-in in the browser: a newcomer proves their mailbox with the emailed code,
sets up the authenticator app from the QR page, keeps the recovery codes and lands on the
front page; a demo persona signs in with the app's code. Every page is checked with axe."""

from __future__ import annotations

import re
import time
from base64 import b32decode
from pathlib import Path

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import Page, expect

from forum import services
from forum.models import Municipality
from ssp.models import User
from tests.browser.axe import assert_accessible
from tests.personas import DEMO_PASSWORD
from tests.two_factor import emailed_setup_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def _code_from_secret(secret: str) -> str:
    totp = TOTP(b32decode(secret.replace(" ", "")))
    totp.time = time.time()
    return f"{totp.token():06d}"


def test_a_newcomer_sets_up_the_app_keeps_the_codes_and_reaches_the_front_page(
    page: Page, demo_site: str
) -> None:
    user = User.objects.create_user(
        "ny@demo.ssp", password=DEMO_PASSWORD, full_name="Nina Nystartet"
    )
    services.affiliation_set(user=user, municipality=Municipality.objects.get(code="161"), by=None)

    page.goto(f"{demo_site}/sager/")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Adgangskode").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log ind").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Sæt totrinslogin op")
    expect(page.get_by_text("vi har sendt en kode til ny@demo.ssp")).to_be_visible()
    assert_accessible(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "two-factor-email-code.png"), full_page=True)
    page.get_by_label("Kode fra e-mailen").fill(emailed_setup_code(user.email))
    page.get_by_role("button", name="Fortsæt").click()

    qr = page.get_by_role("img", name=re.compile("QR-kode til godkendelsesappen"))
    expect(qr).to_be_visible()
    assert qr.evaluate("image => image.naturalWidth") > 0, "the QR code must draw"
    assert_accessible(page)
    page.screenshot(path=str(ARTIFACTS / "two-factor-setup.png"), full_page=True)

    page.get_by_label("Kode fra appen").fill("123")
    page.get_by_role("button", name="Bekræft og fortsæt").click()
    expect(page.locator(".form-error-message")).to_contain_text("seks cifre")
    assert_accessible(page)

    secret = page.locator(".two-factor-secret").inner_text()
    page.get_by_label("Kode fra appen").fill(_code_from_secret(secret))
    page.get_by_role("button", name="Bekræft og fortsæt").click()

    expect(page.get_by_role("heading", name="Gem dine gendannelseskoder nu")).to_be_visible()
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    assert_accessible(page)
    page.screenshot(path=str(ARTIFACTS / "two-factor-recovery-codes.png"), full_page=True)
    page.get_by_role("link", name="Jeg har gemt koderne – fortsæt").click()

    expect(page).to_have_url(f"{demo_site}/sager/")
    expect(page.get_by_text("Log af").first).to_be_attached()


def test_a_demo_persona_signs_in_with_the_apps_code(page: Page, demo_site: str) -> None:
    page.goto(f"{demo_site}/log-ind/")
    page.get_by_label("E-mail").fill("politi@demo.ssp")
    page.get_by_label("Adgangskode").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log ind").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Log ind")
    assert_accessible(page)
    page.get_by_label("Kode", exact=True).fill("000000")
    page.get_by_role("button", name="Bekræft").click()
    expect(page.locator(".form-error-message")).to_contain_text("Koden er forkert")
    assert_accessible(page)
    page.screenshot(path=str(ARTIFACTS / "two-factor-code.png"), full_page=True)

    time.sleep(1.1)  # django-otp's pause after a wrong code
    page.get_by_label("Kode", exact=True).fill(
        _code_from_secret("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    )
    page.get_by_role("button", name="Bekræft").click()

    expect(page).to_have_url(f"{demo_site}/")
    expect(page.get_by_role("button", name="Log af").first).to_be_attached()
