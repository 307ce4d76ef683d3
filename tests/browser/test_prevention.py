"""Prevention work in a real browser: a street-level round logged on a 390 px phone with a
few taps and under 30 characters typed; an activity logged with its reach; a project with its
activities; a body's annual plan approved at its meeting. axe runs on every page; the
screenshots go to /work/tmp/prevention/ for a human look."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from prevention.models import Activity, ActivityKind, AnnualPlan, Project
from tests.browser.axe import assert_accessible
from tests.browser.conftest import log_in, watched_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("SSP_SCREENSHOTS", "/work/tmp/prevention"))
# WCAG 2.5.5 (target size): at least 44 × 44 CSS pixels for what a thumb must hit.
TARGET = 44


@pytest.fixture
def phone390(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="da-DK"
    )
    with watched_page(context) as page:
        yield page


def _shot(page: Page, name: str) -> None:
    if SHOTS.parent.exists():
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_a_street_round_on_a_phone(phone390: Page, demo_site: str) -> None:
    page = phone390
    log_in(page, demo_site, "klub@demo.ssp")
    page.goto(f"{demo_site}/forebyggelse/")
    page.get_by_role("link", name="Log en gadeplansrunde").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gadeplan")
    assert_accessible(page)
    _shot(page, "street_round_phone")

    # Date and time are filled in; the worker types the place and a number, and taps.
    typed = "Stationen" + "12"
    page.get_by_label("Organ").select_option(label="Aktivitetsgruppen")
    page.get_by_label("Sted").fill("Stationen")
    page.get_by_label("Unge mødt").fill("12")
    page.get_by_text("Urolig", exact=True).tap()
    page.get_by_text("Alkohol", exact=True).tap()
    save = page.get_by_role("button", name="Gem runden")
    for target in (save, page.get_by_text("Urolig", exact=True)):
        box = target.bounding_box()
        assert box is not None
        assert box["height"] >= TARGET, f"a small target: {box}"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "the form scrolls sideways"
    save.tap()

    expect(page.get_by_text("Runden ved Stationen er gemt")).to_be_visible()
    assert len(typed) <= 30
    entry = Activity.objects.get(kind=ActivityKind.STREET_ROUND, place="Stationen")
    assert (entry.young_people, entry.mood, entry.issues, entry.is_done) == (
        12,
        "tense",
        ["alcohol"],
        True,
    )
    assert entry.created_by.email == "klub@demo.ssp"
    # Ready for the next round, and it offers the place again.
    expect(page.get_by_label("Sted")).to_have_value("")
    assert_accessible(page)
    _shot(page, "street_round_phone_saved")


def test_an_activity_a_project_and_an_approved_annual_plan(page: Page, demo_site: str) -> None:
    today = timezone.localdate()
    log_in(page, demo_site, "konsulent@demo.ssp")
    menu = page.get_by_role("navigation", name="Hovedmenu")
    menu.get_by_role("link", name="Forebyggelse").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Forebyggelse")
    assert_accessible(page)

    # A project of the SSP-Udvalg.
    page.get_by_role("link", name="SSP-Udvalget i Glostrup", exact=True).click()
    assert_accessible(page)
    page.get_by_role("link", name="Nyt projekt").click()
    page.get_by_label("Titel").fill("Tryg skolevej")
    page.get_by_label("Mål").fill("Færre konflikter på vej hjem fra skole.")
    page.get_by_label("Start").fill(today.isoformat())
    page.get_by_label("Slut").fill((today + timedelta(days=120)).isoformat())
    page.get_by_label("Status").select_option(label="I gang")
    page.get_by_role("button", name="Gem").click()
    expect(page.get_by_text("Projektet er oprettet.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tryg skolevej")

    # An activity in the project, done today, with its reach.
    page.get_by_role("link", name="Ny aktivitet i projektet").click()
    assert_accessible(page)
    page.get_by_label("Type", exact=True).select_option(label="Kampagne")
    page.get_by_label("Aktivitet", exact=True).fill("Cykellygter til 5. årgang")
    page.get_by_label("Dato").fill(today.isoformat())
    page.get_by_label("Generel").check()
    page.get_by_label("Elever").fill("48")
    page.get_by_label("Forældre").fill("20")
    page.get_by_label("Aktiviteten er gennemført").check()
    page.get_by_role("button", name="Gem").click()
    expect(page.get_by_text("Aktiviteten er gemt.")).to_be_visible()
    expect(page.get_by_text("48 elever, 20 forældre")).to_be_visible()
    assert_accessible(page)
    _shot(page, "activity_detail")
    page.get_by_role("link", name="Tryg skolevej").click()
    expect(page.get_by_role("link", name="Cykellygter til 5. årgang")).to_be_visible()
    project = Project.objects.get(title="Tryg skolevej")
    assert project.activities.get().pupils == 48

    # The SSP-Udvalg's plan for next year, approved at its December meeting (demo data).
    plan = AnnualPlan.objects.get(body__name="SSP-Udvalget i Glostrup")
    page.goto(f"{demo_site}{plan.get_absolute_url()}")
    expect(page.get_by_text("Planen er ikke godkendt endnu.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Godkendt på mødet").select_option(index=0)
    page.get_by_label("Bemærkning").fill("Enig")
    page.get_by_role("button", name="Registrér godkendelsen").click()
    expect(page.get_by_text("Godkendelsen er registreret.")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Godkendt på »SSP-Udvalget: årsplan"))).to_be_visible()
    assert_accessible(page)
    _shot(page, "plan_approved")
    plan.refresh_from_db()
    assert plan.is_approved
    assert plan.approval_meeting.body_id == plan.body_id
