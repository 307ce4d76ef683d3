"""School-year planning in a real browser. In September: the leader of SSP-team Vestervang
schedules next school year's planning meeting, then lays the year's meeting series and
activities; the SSP consultant sees it in the overview of all school teams. After September:
a team that missed it plans the rest of the year in January and then edits the plan, on a
phone and on a desktop. axe runs on every page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from forum.models import Body
from meetings.models import (
    Meeting,
    MeetingKind,
    MeetingStatus,
    SchoolYearPlan,
    school_year_label,
    school_year_of,
)
from tests.browser.axe import assert_accessible
from tests.browser.conftest import log_in, watched_page

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
    # A date outside the school year is refused, with the input kept.
    page.get_by_label("Dato").fill(f"{year + 1}-08-10")
    page.get_by_label("Fra kl.").fill("14:00")
    page.get_by_label("Til kl.").fill("16:00")
    page.get_by_label(re.compile(r"^Sted")).fill("Lærerværelset")
    page.get_by_role("button", name="Planlæg og inviter teamet").click()
    expect(page.get_by_text(f"Datoen skal ligge i skoleåret {label}").first).to_be_visible()
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
    expect(page.get_by_role("cell", name="Forældremøde om fester")).to_be_visible()
    expect(page.get_by_role("cell", name="Digital dannelse")).to_be_visible()
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


SCREENSHOTS = Path("/work/tmp/schoolyear")
VIEWPORTS = {"phone": (390, 844), "desktop": (1280, 900)}


@pytest.fixture(params=sorted(VIEWPORTS))
def sized_page(request: pytest.FixtureRequest, browser: Browser) -> Iterator[Page]:
    """A page on a 390 px phone and on a desktop."""
    width, height = VIEWPORTS[request.param]
    phone = request.param == "phone"
    context = browser.new_context(
        viewport={"width": width, "height": height},
        is_mobile=phone,
        has_touch=phone,
        locale="da-DK",
    )
    with watched_page(context) as page:
        page.viewport_name = request.param  # type: ignore[attr-defined]
        yield page


def _shot(page: Page, name: str) -> None:
    if SCREENSHOTS.parent.exists():
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=SCREENSHOTS / f"{name}-{page.viewport_name}.png", full_page=True)  # type: ignore[attr-defined]


def test_a_team_that_missed_september_plans_the_rest_of_the_year_and_edits_the_plan(
    sized_page: Page, demo_site: str
) -> None:
    page = sized_page
    # A January of a school year the demo has not planned, ahead whatever day the suite runs.
    year = school_year_of(timezone.localdate()) + 1
    label = school_year_label(year)
    january = datetime(year + 1, 1, 12, 9, tzinfo=ZoneInfo("Europe/Copenhagen"))
    team = Body.objects.get(name=TEAM)

    with time_machine.travel(january, tick=True):
        log_in(page, demo_site, "leder@demo.ssp")
        page.goto(f"{demo_site}/moeder/organ/{team.pk}/aarsplan/?aar={year}")
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Årsplan {label} for {TEAM}")
        expect(page.get_by_text("Septembermødet blev ikke holdt")).to_be_visible()
        expect(page.get_by_text("Resten af året skal give mindst 3 møder.")).to_be_visible()
        assert_accessible(page)
        _shot(page, "mid-year-path")

        page.get_by_role("link", name="Læg plan for resten af skoleåret").click()
        expect(page.locator("#mid-year")).to_contain_text("Planen dækker resten af skoleåret")
        assert_accessible(page)
        # A last date after the school year is refused, with the input kept.
        page.get_by_label("Første møde").fill(f"{year + 1}-01-19")
        page.get_by_label("Sidste møde senest").fill(f"{year + 1}-08-20")
        page.get_by_label("Hver n'te uge").fill("5")
        page.get_by_label("Fra kl.").fill("14:00")
        page.get_by_label("Til kl.").fill("15:30")
        page.get_by_label(re.compile(r"^Sted")).fill("Lærerværelset")
        first = page.locator("fieldset", has_text="Aktivitet 1")
        first.get_by_label("Aktivitet").fill("Forældremøde om fester")
        first.get_by_label("Type").select_option(label="Forældremøde")
        first.get_by_label("Dato").fill(f"{year + 1}-03-02")
        page.get_by_role("button", name="Læg planen og inviter teamet").click()
        expect(page.get_by_text(f"Datoen skal ligge i skoleåret {label}").first).to_be_visible()
        expect(page.get_by_label(re.compile(r"^Sted"))).to_have_value("Lærerværelset")
        assert_accessible(page)
        page.get_by_label("Sidste møde senest").fill(f"{year + 1}-06-15")
        page.get_by_role("button", name="Læg planen og inviter teamet").click()

        expect(page.get_by_text("Skoleårets plan er lagt")).to_be_visible()
        expect(page.get_by_text("Planen blev lagt uden et planlægningsmøde.")).to_be_visible()
        expect(page.get_by_role("cell", name="Forældremøde om fester")).to_be_visible()
        plan = SchoolYearPlan.objects.get(body=team, school_year=year)
        assert plan.planning_meeting is None
        uids = dict(plan.series.meetings.values_list("pk", "uid"))
        assert len(uids) >= 3
        assert_accessible(page)

        # The team moves its meetings an hour later, into the hall.
        mail.outbox.clear()
        page.get_by_role("link", name="Ret møderne").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Ret årsplanens møder")
        expect(page.get_by_label("Næste møde")).to_have_value(f"{year + 1}-01-19")
        assert_accessible(page)
        _shot(page, "plan-edit")
        page.get_by_label("Næste møde").fill(f"{year + 1}-01-05")
        page.get_by_role("button", name="Gem og giv teamet besked").click()
        expect(page.get_by_text("Det næste møde kan ikke ligge i fortiden.").first).to_be_visible()
        assert_accessible(page)
        page.get_by_label("Næste møde").fill(f"{year + 1}-01-19")
        page.get_by_label("Fra kl.").fill("15:00")
        page.get_by_label("Til kl.").fill("16:30")
        page.get_by_label(re.compile(r"^Sted")).fill("Aulaen")
        page.get_by_role("button", name="Gem og giv teamet besked").click()

        expect(
            page.get_by_text(re.compile(r"Planen er ændret: \d+ møder er ændret"))
        ).to_be_visible()
        expect(page.get_by_text("Sidst ændret af Lars Lund")).to_be_visible()
        assert_accessible(page)
        _shot(page, "plan-edited")

        # And the parent meeting gets a responsible.
        page.get_by_role("link", name="Ret aktiviteternes datoer og ansvarlige").click()
        expect(page.get_by_role("group", name="Forældremøde om fester")).to_be_visible()
        assert_accessible(page)
        _shot(page, "wheel-edit")
        page.get_by_label("Ansvarlig").select_option(label="Lars Lund")
        page.get_by_role("button", name="Gem og giv teamet besked").click()
        expect(
            page.get_by_text("1 aktivitet er ændret, og teamet har fået besked.")
        ).to_be_visible()
        expect(page.get_by_role("row", name=re.compile("Forældremøde om fester"))).to_contain_text(
            "Lars Lund"
        )
        assert_accessible(page)

    meetings = Meeting.objects.filter(pk__in=uids, status=MeetingStatus.PLANNED)
    assert {m.pk: m.uid for m in meetings} == uids
    assert {(m.sequence, m.location) for m in meetings} == {(1, "Aulaen")}
    subjects = {m.subject for m in mail.outbox}
    assert subjects == {
        f"SSP-samarbejde: Årsplanen er ændret: {TEAM} {label}",
        f"SSP-samarbejde: Årshjulet er ændret: {TEAM} {label}",
    }
    assert "leder@demo.ssp" in {m.to[0] for m in mail.outbox}
