"""First-run set-up, then import, in a real browser: a platform operator sets up Køge from its
preset, follows the organisation page to the import, downloads Køge's template, sends a
spreadsheet with a bad row (every error listed, nothing saved), then the corrected one, sees
what it will create and confirms. On a 390 px phone, Glostrup's administrator imports a
roster into a school team. axe runs on every page; nothing scrolls sideways on the phone."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
import tablib
from playwright.sync_api import Browser, Page, expect

from devtools.demo.two_factor import demo_authenticator_set
from forum.models import Body, BodyKind, HeldLogin, Membership, Municipality, Person
from ssp.models import Sector, User
from tests.browser.axe import assert_accessible
from tests.browser.conftest import log_in, watched_page
from tests.orgimport.sheets import person_row, workbook
from tests.personas import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_WIDTH = 390
TEAM = ["SSP-team Skovbakkeskolen", "Skolens SSP-team", "SKOV", ""]


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


def _file(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def _koege_organisation(email_of_second: str) -> bytes:
    return workbook(
        units=[["SKOV", "Skovbakkeskolen", "Skole", "", "Skovvej 1, 4600 Køge", "", ""]],
        people=[
            person_row(
                "Sanne Skov", "sanne@koege.example", "SKOV", title="Afdelingsleder", login="ja"
            ),
            person_row("Per Politi", email_of_second, "", "Politi"),
        ],
        memberships=[
            [*TEAM, "sanne@koege.example", "Formand"],
            [*TEAM, "per@koege.example", "Medlem"],
        ],
    )


def test_an_operator_sets_up_koege_and_imports_its_organisation(
    page: Page, demo_site: str, tmp_path: Path
) -> None:
    operator = User.objects.create_superuser(
        "drift@test.ssp", password=DEMO_PASSWORD, full_name="Dorte Drift", sector=Sector.OTHER
    )
    demo_authenticator_set(user=operator)
    log_in(page, demo_site, operator.email)
    page.goto(f"{demo_site}/organisation/")
    page.get_by_role("link", name="Opret en ny kommune").click()
    page.get_by_label("Kommunens navn").fill("Køge")
    page.get_by_label("Kommunekode").fill("259")
    page.get_by_label("Ny politikreds").fill("Midt- og Vestsjællands Politi")
    page.get_by_label("Køge: SSP-Styregruppe", exact=False).check()
    page.get_by_label("Administratorer").fill("Anders Admin, anders@koege.example")
    page.get_by_role("button", name="Opret kommunen og send invitationer").click()
    expect(page.get_by_text("Importér nu enheder, personer og medlemskaber")).to_be_visible()

    # First-run set-up, then import: straight on to the import, Køge's template first.
    expect(page.get_by_role("heading", level=1)).to_have_text("Importér Køges organisation")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Hent skabelonen: Køge", exact=False).click()
    template = tablib.Databook().load(
        io.BytesIO(Path(download.value.path()).read_bytes()), format="xlsx"
    )
    titles = [sheet.title for sheet in template.sheets()]
    assert titles == ["Vejledning", "Enheder", "Personer", "Medlemskaber", "Organer"]
    assert "SSP-Styregruppen" in template.sheets()[4].get_col(0)

    page.get_by_label("Regneark eller CSV-fil").set_input_files(
        _file(tmp_path, "koege-fejl.xlsx", _koege_organisation("per@koege"))
    )
    page.get_by_role("button", name="Vis, hvad importen gør").click()
    errors = page.locator("#import-errors")
    expect(errors).to_contain_text("Filen kan ikke importeres: 2 fejl")
    expect(errors).to_contain_text(
        "Ark »Personer«, række 3: »per@koege« i kolonnen »Arbejdsmail« er ikke en gyldig "
        "e-mailadresse."
    )
    expect(errors).to_contain_text(
        "Ark »Medlemskaber«, række 3: Ukendt arbejdsmail »per@koege.example«"
    )
    expect(page.get_by_role("button", name="Bekræft og importér")).to_have_count(0)
    assert_accessible(page)
    koege = Municipality.objects.get(code="259")
    assert not Person.objects.filter(municipality=koege, email="sanne@koege.example").exists()

    page.get_by_role("link", name="Send en anden fil").click()
    page.get_by_label("Regneark eller CSV-fil").set_input_files(
        _file(tmp_path, "koege.xlsx", _koege_organisation("per@koege.example"))
    )
    page.get_by_role("button", name="Vis, hvad importen gør").click()
    expect(page.locator("#sheet-people")).to_have_text("Personer")
    expect(page.get_by_text("2 oprettes, 0 ændres, 0 uændret.").first).to_be_visible()
    expect(page.get_by_text("Nyt organ: SSP-team Skovbakkeskolen").first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Bekræft og importér").click()

    expect(page.get_by_text("Importen er gennemført: 5 oprettet og 0 ændret.")).to_be_visible()
    assert_accessible(page)
    team = Body.objects.get(municipality=koege, name="SSP-team Skovbakkeskolen")
    assert (team.kind, team.parent.name, team.unit.code) == (
        BodyKind.SCHOOL_TEAM,
        "SSP-Forum",
        "SKOV",
    )
    assert HeldLogin.objects.filter(person__email="sanne@koege.example").exists()
    assert not User.objects.filter(email="sanne@koege.example").exists()
    page.get_by_role("link", name="Se Køges organisation").click()
    expect(page.get_by_role("link", name="SSP-team Skovbakkeskolen")).to_be_visible()


def test_an_administrator_imports_a_school_team_roster_on_a_phone(
    phone_390: Page, demo_site: str, tmp_path: Path
) -> None:
    page = phone_390
    glostrup = Municipality.objects.get(code="161")
    team = Body.objects.filter(municipality=glostrup, kind=BodyKind.SCHOOL_TEAM).first()
    content = workbook(
        people=[person_row("Rikke Rolle", "rikke@glostrup.example", title="AKT-lærer")],
        memberships=[[team.name, "", "", "", "rikke@glostrup.example", "Tovholder"]],
    )
    log_in(page, demo_site, "admin@demo.ssp")
    page.goto(f"{demo_site}/organisation/kommune/{glostrup.pk}/")
    page.get_by_role("link", name="Importér fra regneark").click()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH

    page.get_by_label("Regneark eller CSV-fil").set_input_files(
        _file(tmp_path, "roster.xlsx", content)
    )
    page.get_by_role("button", name="Vis, hvad importen gør").click()
    expect(page.locator("#sheet-memberships")).to_be_visible()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    page.get_by_role("button", name="Bekræft og importér").click()

    expect(page.get_by_text("Importen er gennemført: 2 oprettet og 0 ændret.")).to_be_visible()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    seat = Membership.objects.get(body=team, person__email="rikke@glostrup.example")
    assert seat.role == "coordinator"
