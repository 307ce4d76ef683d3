"""Browser fixtures: the system Chromium driven by Playwright against the live server."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from ssp.models import User
from tests.personas import DEMO_PASSWORD
from tests.two_factor import code_for

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def demo_site(live_server) -> str:  # type: ignore[no-untyped-def]
    """The live server with the demo organisation (transactional tests start empty)."""
    call_command("seed_demo", stdout=io.StringIO())
    return live_server.url


@contextmanager
def watched_page(context: BrowserContext) -> Iterator[Page]:
    """A page of `context` that fails the test if the browser refused anything under the
    Content-Security-Policy (an inline script or style, a foreign source) while it was open."""
    refused: list[str] = []
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on(
        "console",
        lambda message: (
            refused.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    yield page
    context.close()
    assert not refused, "the Content-Security-Policy refused:\n" + "\n".join(refused)


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="da-DK")
    with watched_page(context) as page:
        yield page


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(
        viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True, locale="da-DK"
    )
    with watched_page(context) as page:
        yield page


def log_in(page: Page, base_url: str, email: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in as a person would: the password, then the code the authenticator app shows
    (computed from the account's device). A refused password stays on the login page."""
    page.goto(f"{base_url}/log-ind/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Adgangskode").fill(password)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_load_state()
    if "/log-ind/kode/" in page.url:
        page.get_by_label("Kode", exact=True).fill(code_for(User.objects.get(email=email)))
        page.get_by_role("button", name="Bekræft").click()
        page.wait_for_load_state()


def open_from_menu(page: Page, name: str) -> None:
    """Follow the main menu's link `name`, as a person would: the design system folds the
    items that do not fit on the line under "Mere", so open that first when it hides it."""
    menu = page.get_by_role("navigation", name="Hovedmenu")
    link = menu.get_by_role("link", name=name)
    if not link.is_visible():
        menu.get_by_role("button", name="Mere").click()
    link.click()
