"""The ActionCard people use (issue 17): the demo card seed_demo publishes fits on four A4
pages, page one gives a number for each situation, numbers never break across lines, body names
are never hyphenated, only coming dates are shown, and publishing asks for a confirmation that
shows what changes. The card's pages are left as PNGs in test-artifacts/ for people to look at
(actioncard-demo-*.png)."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from actioncard import contacts, rendering, services
from actioncard.models import Edition, EditionStatus, RenderJob, RenderPurpose
from actioncard.orgchart import wrap_name
from forum.models import Municipality, Unit
from tests.personas import Personas

pytestmark = pytest.mark.django_db

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
NBSP = "\u00a0"


@pytest.fixture
def demo() -> Edition:
    """The card seed_demo published: Glostrup's for this year."""
    return Edition.objects.get(
        municipality__code="161", year=timezone.localdate().year, status=EditionStatus.PUBLISHED
    )


@pytest.fixture
def demo_pdf(demo: Edition, tmp_path: Path) -> Path:
    path = tmp_path / "demo.pdf"
    path.write_bytes(demo.pdf.read())
    return path


def _text(pdf: Path, *args: str) -> str:
    tool = shutil.which("pdftotext")
    assert tool, "poppler-utils is needed (.ci/run installs it)"
    out = subprocess.run(  # noqa: S603 - fixed command on our own file
        [tool, *args, str(pdf), "-"], check=True, capture_output=True, timeout=60
    )
    return out.stdout.decode().replace(NBSP, " ")


def _pages(pdf: Path) -> int:
    out = subprocess.run(  # noqa: S603 - fixed command on our own file
        [shutil.which("pdfinfo") or "pdfinfo", str(pdf)], check=True, capture_output=True
    )
    line = next(row for row in out.stdout.decode().splitlines() if row.startswith("Pages:"))
    return int(line.split()[1])


def test_the_demo_card_fits_on_four_pages_without_losing_content(
    demo: Edition, demo_pdf: Path
) -> None:
    text = _text(demo_pdf)

    assert _pages(demo_pdf) <= 4
    for actor in demo.contents["actors"]:
        assert actor["name"] in text, f"{actor['name']} is missing from the card"
    for team in demo.contents["teams"]:
        assert team["name"] in text
    for body in demo.contents["bodies"]:
        assert body["name"] in text.replace("\n", " ") or body["name"] in text


def test_page_one_has_a_name_and_a_number_for_each_situation(demo: Edition, demo_pdf: Path) -> None:
    page_one = " ".join(_text(demo_pdf, "-f", "1", "-l", "1").split())

    assert "Hvem ringer jeg til, når" in page_one
    for row in demo.contents["contacts"]:
        label = str(contacts.LABELS[row["situation"]])
        assert f"Når {label}" in page_one, f"page one lacks the situation {label!r}"
        local = [entry for entry in row["entries"] if not entry["national"]]
        assert local, f"the demo has no contact of its own for {label!r}"
        for entry in row["entries"]:
            assert entry["phone"] in page_one, f"{entry['phone']} ({label}) is not on page one"
    for number in ("112", "114", "+45 43 23 60 10", "+45 43 23 69 99", "+45 43 23 60 40"):
        assert number in page_one
    # The route for people without a login: the consultant's name and number.
    assert "Har du ikke et login til SSP-systemet?" in page_one
    assert "Kirsten Kragh" in page_one
    assert "skriv bekymringen i SSP-systemet" not in page_one.lower()


def test_no_phone_number_is_broken_across_lines(demo: Edition, demo_pdf: Path) -> None:
    lines = _text(demo_pdf).splitlines()
    numbers = contacts.phones(demo.contents)

    assert len(numbers) > 20
    for number in numbers:
        assert any(number in line for line in lines), f"{number} is broken across lines"


def test_the_org_chart_never_hyphenates_a_body_name() -> None:
    assert wrap_name("Koordineringsgruppen") == ["Koordineringsgruppen"]
    assert wrap_name("Undervisningsgruppen") == ["Undervisningsgruppen"]
    assert all(not line.endswith("-") for line in wrap_name("Tværkommunal udviklingsgruppe"))


def test_the_demo_card_draws_koordineringsgruppen_whole(demo: Edition) -> None:
    html = rendering.pdf_html(demo)

    assert ">Koordineringsgruppen</text>" in html
    assert "Koordineringsgrupp-" not in html


def test_only_coming_dates_are_shown(glostrup: Municipality, personas: Personas) -> None:
    draft = services.edition_start(municipality=glostrup, year=2031, by=personas.admin)

    in_may = rendering.context(draft, today=date(2031, 5, 2))["dates"]
    months = {(str(row["month"]), row["year"]) for row in in_may if row["month"]}

    assert ("januar", 2031) not in months, "a past January is on the card"
    assert ("april", 2031) not in months, "a past April is on the card"
    assert ("september", 2031) in months
    assert ("januar", 2032) in months
    assert ("april", 2032) in months
    assert ("september", 2032) not in months, "more than twelve months ahead"
    # The §115 group's weekly rhythm is always there.
    assert any(row["body"] == "Mandagsgruppen (§115)" for row in in_may)


def test_the_published_pdf_has_no_dates_before_its_publishing_day(
    demo: Edition, demo_pdf: Path
) -> None:
    published = timezone.localdate(demo.published_at)
    text = _text(demo_pdf)
    for month, number in (("januar", 1), ("april", 4), ("september", 9)):
        if date(published.year, number, 28) < published:
            assert f"I {month} {published.year}" not in text, f"a past {month} is on the card"


def test_the_editor_is_warned_about_situations_without_a_number(
    glostrup: Municipality, personas: Personas, client: Client
) -> None:
    draft = services.edition_start(municipality=glostrup, year=2031, by=personas.admin)
    services.edition_contacts_update(edition=draft, choices={}, page_per_school=False)
    client.force_login(personas.admin)

    page = client.get(f"/handlekort/redaktion/{draft.pk}/udgiv/").content.decode()

    assert "Side ét mangler noget" in page
    assert "Intet telefonnummer til »Når du har pligt til at underrette«." in page
    assert "Intet telefonnummer til »Når det sker uden for kontortid«." in page
    # The consultant is the fallback when worried: a number, so no warning.
    assert "»Når du er bekymret for et barn eller en ung«" not in page


def test_choosing_a_unit_puts_its_number_on_page_one(
    glostrup: Municipality, personas: Personas, client: Client
) -> None:
    draft = services.edition_start(municipality=glostrup, year=2031, by=personas.admin)
    unit = Unit.objects.get(municipality=glostrup, name="Familieafsnittet")
    client.force_login(personas.admin)
    data = {f"{key}_ref": "" for key in contacts.SITUATION_KEYS}

    response = client.post(
        f"/handlekort/redaktion/{draft.pk}/kontakter/",
        {
            **data,
            "notify_ref": f"unit-{unit.pk}",
            "after_hours_name": "Socialvagten",
            "after_hours_phone": "+45 70 00 00 00",
        },
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    rows = {row["situation"]: row for row in draft.contents["contacts"]}
    assert rows["notify"]["entries"][0]["phone"] == "+45 43 23 60 10"
    assert [e["phone"] for e in rows["after_hours"]["entries"]] == ["+45 70 00 00 00", "114"]


def test_a_bad_number_is_refused_with_the_input_kept(
    glostrup: Municipality, personas: Personas, client: Client
) -> None:
    draft = services.edition_start(municipality=glostrup, year=2031, by=personas.admin)
    before = draft.contents
    client.force_login(personas.admin)

    response = client.post(
        f"/handlekort/redaktion/{draft.pk}/kontakter/",
        {"after_hours_name": "Socialvagten", "after_hours_phone": "ring til Bente"},
    )

    assert response.status_code == 422
    assert "Skriv et telefonnummer med cifre" in response.content.decode()
    assert 'value="ring til Bente"' in response.content.decode()
    draft.refresh_from_db()
    assert draft.contents == before


def test_the_publish_confirmation_shows_what_changes_and_publishing_needs_its_button(
    demo: Edition, personas: Personas, client: Client
) -> None:
    correction = services.edition_correct(edition=demo, by=personas.admin, note="Nyt nummer")
    services.edition_texts_update(
        edition=correction, foreword="Et nyt forord.", purpose=correction.purpose, guide=[]
    )
    services.edition_contacts_update(
        edition=correction,
        choices={
            **correction.contact_choices,
            "after_hours": {"name": "Døgnvagten", "phone": "+45 70 11 22 33"},
        },
        page_per_school=False,
    )
    client.force_login(personas.admin)

    page = client.get(f"/handlekort/redaktion/{correction.pk}/udgiv/").content.decode()

    assert "Ændret tekst: Forord" in page
    assert "Ændret tekst: Gode råd" in page
    assert "Døgnvagten +45 70 11 22 33" in page
    assert "Ja, udgiv handlekortet" in page
    correction.refresh_from_db()
    assert correction.status == EditionStatus.DRAFT, "showing the confirmation published"
    assert not RenderJob.objects.filter(edition=correction).exists()

    client.post(f"/handlekort/redaktion/{correction.pk}/udgiv/")

    correction.refresh_from_db()
    assert correction.status == EditionStatus.PUBLISHING
    assert RenderJob.objects.get(edition=correction).purpose == RenderPurpose.PUBLISH


def test_the_demo_card_is_drawn_to_png_for_people_to_look_at(demo_pdf: Path) -> None:
    """Leaves the demo card's pages where a person (and CI's artefacts) can see them."""
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm, "poppler-utils is needed (.ci/run installs it)"
    ARTIFACTS.mkdir(exist_ok=True)
    for old in ARTIFACTS.glob("actioncard-demo-*.png"):
        old.unlink()
    shutil.copy(demo_pdf, ARTIFACTS / "actioncard-demo.pdf")

    subprocess.run(  # noqa: S603 - fixed command on our own file
        [pdftoppm, "-png", "-r", "60", str(demo_pdf), str(ARTIFACTS / "actioncard-demo")],
        check=True,
        timeout=120,
    )

    pngs = sorted(ARTIFACTS.glob("actioncard-demo-*.png"))
    assert len(pngs) == _pages(demo_pdf) <= 4
    assert all(png.stat().st_size > 1000 for png in pngs)


def test_one_page_per_school_is_an_edition_option(
    glostrup: Municipality, personas: Personas, tmp_path: Path
) -> None:
    draft = services.edition_start(municipality=glostrup, year=2031, by=personas.admin)
    plain = tmp_path / "plain.pdf"
    plain.write_bytes(rendering.edition_pdf(draft))
    services.edition_contacts_update(
        edition=draft, choices=draft.contact_choices, page_per_school=True
    )
    draft.refresh_from_db()
    schools = tmp_path / "schools.pdf"
    schools.write_bytes(rendering.edition_pdf(draft))

    teams = draft.contents["teams"]
    assert _pages(schools) == _pages(plain) + len(teams)
    last = _text(schools, "-f", str(_pages(schools)), "-l", str(_pages(schools)))
    assert teams[-1]["name"] in last
    assert "Hvem ringer jeg til, når" in last
    assert "Har du ikke et login til SSP-systemet?" in last
