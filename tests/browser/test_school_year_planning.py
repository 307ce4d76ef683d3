"""September planning in a real browser: the leader of SSP-team Vestervang schedules next
school year's planning meeting, then lays the year's meeting series and activities; the SSP
consultant sees it in the overview of all school teams. axe runs on every page."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from meetings.models import Meeting, MeetingKind, SchoolYearPlan, school_year_label, school_year_of
from tests.browser.axe import assert_accessible
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEAM = "SSP-team Vestervang"


def test_leader_plans_the_school_year_and_the_consultant_sees_it(
    page: Page, browser, demo_site: str
) -> None:  # type: ignore[no-untyped-def]
    # Next school year: its September is always ahead, whatever day the suite runs.
    year = school_year_of(timezone.localdate()) + 1
    label = school_year_label(year)

    log_in(page, demo_site, "leder@demo.ssp")
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Møder").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mine møder")
    assert_accessible(page)

    page.get_by_role("link", name=TEAM).click()
    page.get_by_role("link", name="Skoleårets plan og årshjul").click()
    page.get_by_role("link", name="Næste skoleår").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Årsplan {label} for {TEAM}")
    expect(page.get_by_text("Septembermødet er ikke planlagt.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Planlæg septembermødet").click()
    expect(page.locator("#conflicts")).to_be_visible()
    assert_accessible(page)
    # A date outside September is refused, with the input kept.
    page.get_by_label("Dato").fill(f"{year}-10-06")
    page.get_by_label("Fra kl.").fill("14:00")
    page.get_by_label("Til kl.").fill("16:00")
    page.get_by_label(re.compile(r"^Sted")).fill("Lærerværelset")
    page.get_by_role("button", name="Planlæg og inviter teamet").click()
    expect(page.get_by_text("Planlægningsmødet skal ligge i september.").first).to_be_visible()
    expect(page.get_by_label(re.compile(r"^Sted"))).to_have_value("Lærerværelset")
    assert_accessible(page)
    page.get_by_label("Dato").fill(f"{year}-09-07")
    page.get_by_role("button", name="Planlæg og inviter teamet").click()
    expect(page.get_by_text("Planlægningsmødet er planlagt")).to_be_visible()
    assert Meeting.objects.filter(body__name=TEAM, kind=MeetingKind.PLANNING).count() == 1

    page.get_by_role("link", name="Læg skoleårets plan").click()
    assert_accessible(page)
    page.get_by_label("Første møde").fill(f"{year}-09-28")
    page.get_by_label("Sidste møde senest").fill(f"{year + 1}-06-15")
    page.get_by_label("Hver n'te uge").fill("6")
    page.get_by_label("Fra kl.").fill("14:00")
    page.get_by_label("Til kl.").fill("15:30")
    first = page.locator("fieldset", has_text="Aktivitet 1")
    first.get_by_label("Aktivitet").fill("Forældremøde om fester")
    first.get_by_label("Type").select_option(label="Forældremøde")
    first.get_by_label("Klassetrin").fill("8. klasse")
    first.get_by_label("Dato").fill(f"{year + 1}-02-02")
    second = page.locator("fieldset", has_text="Aktivitet 2")
    second.get_by_label("Aktivitet").fill("Digital dannelse")
    second.get_by_label("Type").select_option(label="Undervisningsforløb")
    second.get_by_label("Dato").fill(f"{year}-11-10")
    second.get_by_label("Ansvarlig").select_option(label="Lars Lund")
    page.get_by_role("button", name="Læg planen og inviter teamet").click()

    expect(page.get_by_text("Skoleårets plan er lagt")).to_be_visible()
    expect(page.get_by_role("cell", name="Forældremøde om fester", exact=True)).to_be_visible()
    expect(page.get_by_role("cell", name="Digital dannelse", exact=True)).to_be_visible()
    plan = SchoolYearPlan.objects.get(body__name=TEAM, school_year=year)
    assert plan.series.meetings.count() >= 4
    assert_accessible(page)

    # The consultant follows every school team's planning.
    consultant = browser.new_page()
    consultant.set_default_timeout(15_000)
    log_in(consultant, demo_site, "konsulent@demo.ssp")
    consultant.goto(f"{demo_site}/moeder/")
    consultant.get_by_role("link", name="Skoleteams i Glostrup").click()
    consultant.get_by_role("link", name="Næste skoleår").click()
    expect(consultant.get_by_role("heading", level=1)).to_have_text(
        f"Skoleteams i Glostrup {label}"
    )
    row = consultant.get_by_role("row", name=re.compile(TEAM))
    expect(row).to_contain_text("7. sep")
    expect(row).to_contain_text(str(year))
    expect(row).to_contain_text("Lagt")
    expect(consultant.get_by_role("row", name=re.compile("SSP-team Nordvang"))).to_contain_text(
        "Ikke planlagt"
    )
    assert_accessible(consultant)
