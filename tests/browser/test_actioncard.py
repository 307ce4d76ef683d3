"""The year's ActionCard in a real browser: Glostrup's administrator starts next year's
edition, edits its foreword and publishes it; an anonymous visitor then reads it on the public
page. There is no PDF worker here: the test renders the publishing job itself while the page
polls it. axe runs on every page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from actioncard import services
from actioncard.models import Edition, EditionStatus, RenderJob, RenderPurpose
from forum.models import Municipality
from tests.browser.axe import assert_accessible
from tests.browser.conftest import log_in, watched_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
FOREWORD = "Handlekortet for næste år: ring hellere én gang for meget end én gang for lidt."


@pytest.fixture
def written_pdfs_removed(demo_site: str) -> Iterator[None]:
    """The PDFs this test writes go with it: the database is emptied, files on disk are not."""
    yield
    storage = Edition._meta.get_field("pdf").storage
    for model in (Edition, RenderJob):
        for name in model.objects.exclude(pdf="").values_list("pdf", flat=True):
            storage.delete(name)


def _screenshot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"actioncard-{name}.png"), full_page=True)


def test_the_administrator_publishes_next_years_actioncard_and_the_public_reads_it(
    page: Page, browser: Browser, demo_site: str, written_pdfs_removed: None
) -> None:
    year = timezone.localdate().year + 1
    glostrup = Municipality.objects.get(code="161")

    log_in(page, demo_site, "admin@demo.ssp")
    page.goto(f"{demo_site}/handlekort/redaktion/")
    expect(page.get_by_role("heading", level=1)).to_have_text("SSP-handlekort")
    assert_accessible(page)
    _screenshot(page, "editions")

    start = page.locator(f"form[action='/handlekort/redaktion/kommune/{glostrup.pk}/ny/']")
    start.get_by_label("År").fill(str(year))
    start.get_by_role("button", name="Start handlekort").click()
    expect(page.get_by_text(f"Handlekortet for {year} er oprettet som kladde")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"SSP-handlekort for Glostrup {year}")
    edition = Edition.objects.get(municipality=glostrup, year=year)
    assert edition.status == EditionStatus.DRAFT

    page.get_by_role("link", name="Hvem ringer jeg til").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hvem ringer jeg til, når …")
    assert_accessible(page)
    _screenshot(page, "contacts")
    page.get_by_role("button", name="Gem kontakterne").click()
    expect(page.get_by_text("Kontakterne er gemt.")).to_be_visible()

    page.get_by_role("link", name="Rediger tekster").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tekster i handlekortet")
    assert_accessible(page)
    _screenshot(page, "texts")
    page.get_by_label("Forord").fill(FOREWORD)
    page.get_by_role("button", name="Gem tekster").click()
    expect(page.get_by_text("Teksterne er gemt.")).to_be_visible()
    expect(page.get_by_text(FOREWORD)).to_be_visible()

    page.get_by_role("link", name="Udgiv handlekortet …").click()
    # The confirmation: what changes since this year's published card, then the button.
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Udgiv handlekortet for Glostrup {year}"
    )
    expect(page.get_by_text("Ændret tekst: Forord")).to_be_visible()
    assert_accessible(page)
    _screenshot(page, "publish-confirmation")
    page.get_by_role("button", name="Ja, udgiv handlekortet").click()
    expect(page.get_by_text("Handlekortet udgives, så snart PDF'en er lavet.")).to_be_visible()
    expect(page.get_by_text("Udgivelsen venter på at komme til …")).to_be_visible()
    job = RenderJob.objects.filter(edition=edition).latest("created_at")
    assert job.purpose == RenderPurpose.PUBLISH
    # What the PDF worker would do; the page notices on its next poll and reloads.
    services.render_run(job_id=job.pk)
    expect(page.get_by_text("Handlekortet er udgivet.")).to_be_visible(timeout=20_000)
    expect(page.get_by_role("link", name="Se det offentlige handlekort")).to_be_visible()
    expect(page.get_by_role("link", name="Udgiv handlekortet …")).to_have_count(0)
    edition.refresh_from_db()
    assert edition.status == EditionStatus.PUBLISHED
    assert_accessible(page)
    _screenshot(page, "edition")

    # An anonymous visitor: a new browser context, without the administrator's session.
    visitor = browser.new_context(viewport={"width": 1280, "height": 900}, locale="da-DK")
    with watched_page(visitor) as public:
        public.goto(f"{demo_site}/handlekort/161/")
        expect(public.get_by_role("heading", level=1)).to_have_text(
            f"SSP-handlekort for Glostrup {year}"
        )
        expect(public.get_by_text(FOREWORD)).to_be_visible()
        expect(public.get_by_role("link", name="Hent handlekortet som PDF")).to_be_visible()
        expect(public.get_by_text("Log af")).to_have_count(0)
        assert_accessible(public)
        _screenshot(public, "public")


PHONE_WIDTH = 390


@pytest.mark.parametrize(
    ("language", "heading", "situation"),
    [
        ("da", "Hvem ringer jeg til, når …", "Når der er akut fare"),
        ("en", "Foreword", None),
    ],
)
def test_the_demo_card_reads_well_on_a_phone_in_danish_and_english(
    browser: Browser, demo_site: str, language: str, heading: str, situation: str | None
) -> None:
    """The card seed_demo publishes, at 390 px: no sideways scrolling, axe clean, and the
    numbers of page one in the reader's language (English headings once translated)."""
    context = browser.new_context(viewport={"width": PHONE_WIDTH, "height": 844}, is_mobile=True)
    # English is the reader's explicit choice, kept in the language cookie.
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": demo_site}]
    )
    with watched_page(context) as phone:
        phone.goto(f"{demo_site}/handlekort/161/")
        expect(phone.locator("html")).to_have_attribute("lang", language)
        expect(phone.get_by_text("+45 43 23 60 10").first).to_be_visible()
        expect(phone.get_by_role("heading", name=heading, exact=True)).to_be_visible()
        if situation:
            expect(phone.get_by_role("heading", name=situation)).to_be_visible()
        else:  # the municipality's own texts are shown as written, and the page says so
            expect(phone.locator(".actioncard-as-written")).to_be_visible()
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE_WIDTH, f"the public ActionCard scrolls sideways ({width} px)"
        assert_accessible(phone)
        _screenshot(phone, f"phone-{language}")
