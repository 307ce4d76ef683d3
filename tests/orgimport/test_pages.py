"""The import pages: who may open what (a table), a municipality's administrator never seeing
another's upload or organisation in a preview (leaks), and the flow an administrator walks:
upload, preview, confirm, and a second click that imports nothing."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from forum import services as forum_services
from forum.models import Municipality, Person
from orgimport.models import OrgImport
from ssp.models import Sector, User
from tests.forum.page_helpers import page_text
from tests.orgimport.sheets import new_municipality, person_row, upload, workbook
from tests.permission_table import ANONYMOUS, Row, Table, check, sign_in, url_names
from tests.personas import PERSONA_NAMES, Personas

pytestmark = pytest.mark.django_db

PERSONAS = (*PERSONA_NAMES, ANONYMOUS)
GLOSTRUP_STAFF = ("consultant", "leader", "police", "police2", "social", "club")
ONE_PERSON = workbook(people=[person_row("Tina Tabel", "tina@kommune.example")])


def _glostrup() -> Municipality:
    return Municipality.objects.get(code="161")


def _admin() -> User:
    return User.objects.get(email="admin@demo.ssp")


def _admins_upload() -> OrgImport:
    return upload(_glostrup(), _admin(), ONE_PERSON)


def _statuses(admin: int, staff: int, others: int) -> dict[str, int]:
    expected = dict.fromkeys(PERSONA_NAMES, others)
    expected.update(dict.fromkeys(GLOSTRUP_STAFF, staff), admin=admin)
    return expected


START = lambda: f"/organisation/kommune/{_glostrup().pk}/import/"  # noqa: E731

ROWS = [
    # Glostrup's staff see its organisation but do not administer it (403); the neighbour
    # (Albertslund) and the outsider do not see it (404).
    Row("start", "GET", START, _statuses(admin=200, staff=403, others=404)),
    Row(
        "start",
        "POST",
        START,
        _statuses(admin=302, staff=403, others=404),
        lambda: {"kind": "workbook", "file": SimpleUploadedFile("org.xlsx", ONE_PERSON)},
        location=lambda: r"/organisation/import/\d+/",
    ),
    Row(
        "sample",
        "GET",
        lambda: f"/organisation/kommune/{_glostrup().pk}/import/eksempel.xlsx",
        _statuses(admin=200, staff=403, others=404),
    ),
    # An upload is its owner's alone: for anyone else it is not there.
    Row(
        "preview",
        "GET",
        lambda: f"/organisation/import/{_admins_upload().pk}/",
        _statuses(admin=200, staff=404, others=404),
    ),
    Row(
        "confirm",
        "POST",
        lambda: f"/organisation/import/{_admins_upload().pk}/bekraeft/",
        _statuses(admin=302, staff=404, others=404),
    ),
    # The empty templates hold no personal data: for every administrator and operator.
    Row(
        "template",
        "GET",
        lambda: "/organisation/import/skabelon/glostrup.xlsx",
        _statuses(admin=200, staff=403, others=403),
    ),
]

TABLE = Table(namespace="orgimport", rows=ROWS, personas=PERSONAS)


@pytest.mark.parametrize(("row", "persona"), TABLE.params())
def test_permission_table(row: Row, persona: str, personas: Personas, client: Client) -> None:
    url = row.url()
    sign_in(client, persona, personas)

    check(
        client,
        row,
        persona,
        url=url,
        data=row.data() if row.data else {},
        location=row.location() if row.location else None,
    )


def test_every_import_url_has_rows_in_the_table() -> None:
    assert url_names("orgimport") - {row.name for row in ROWS} == set()


@pytest.fixture
def other_admin() -> tuple[Municipality, User]:
    """The administrator of another municipality of the same police district."""
    municipality = new_municipality()
    admin = User.objects.create_user(
        "anden@test.ssp", password=None, full_name="Anne Anden", sector=Sector.OTHER
    )
    forum_services.affiliation_set(
        user=admin, municipality=municipality, is_administrator=True, by=None
    )
    return municipality, admin


def test_an_administrator_cannot_see_or_confirm_another_municipalitys_upload(
    client: Client, other_admin: tuple[Municipality, User], personas: Personas
) -> None:
    glostrups = _admins_upload()
    client.force_login(other_admin[1])

    assert client.get(f"/organisation/import/{glostrups.pk}/").status_code == 404
    assert client.post(f"/organisation/import/{glostrups.pk}/bekraeft/").status_code == 404
    assert not Person.objects.filter(email="tina@kommune.example").exists(), "confirmed"


def test_a_preview_shows_nothing_of_another_municipalitys_organisation(
    client: Client, other_admin: tuple[Municipality, User], personas: Personas
) -> None:
    municipality, admin = other_admin
    glostrup_person = Person.objects.filter(municipality=_glostrup()).exclude(email="").first()
    content = workbook(
        memberships=[["SSP-team Vestervang", "", "", "", glostrup_person.email, "Medlem"]]
    )
    client.force_login(admin)

    response = client.get(f"/organisation/import/{upload(municipality, admin, content).pk}/")

    text = page_text(response)
    assert "Kommunen har intet organ ved navn »SSP-team Vestervang«" in text
    assert f"Ukendt arbejdsmail »{glostrup_person.email}«" in text
    assert glostrup_person.full_name not in text, "a Glostrup person's name leaked"
    assert "Bekræft og importér" not in text


def test_an_administrator_uploads_previews_and_confirms_once(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.admin)

    response = client.post(
        f"/organisation/kommune/{_glostrup().pk}/import/",
        {"kind": "workbook", "file": SimpleUploadedFile("org.xlsx", ONE_PERSON)},
    )
    preview = client.get(response["Location"])
    text = page_text(preview)
    assert "1 oprettes, 0 ændres, 0 uændret." in text
    assert "Tina Tabel &lt;tina@kommune.example&gt;" in text
    assert not Person.objects.filter(email="tina@kommune.example").exists()

    confirm_url = response["Location"] + "bekraeft/"
    first = client.post(confirm_url, follow=True)
    second = client.post(confirm_url, follow=True)

    assert "Importen er gennemført: 1 oprettet og 0 ændret." in page_text(first)
    assert "Personer: 1 oprettet, 0 ændret, 0 uændret." in page_text(first)
    assert "Filen er allerede importeret." in page_text(second)
    assert Person.objects.filter(email="tina@kommune.example").count() == 1


def test_a_file_that_is_no_spreadsheet_is_refused_in_danish_with_the_choice_kept(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.admin)

    response = client.post(
        f"/organisation/kommune/{_glostrup().pk}/import/",
        {"kind": "people", "file": SimpleUploadedFile("org.csv", b"foo,bar\r\n1,2\r\n")},
    )

    assert response.status_code == 422
    assert "CSV-filen mangler kolonnerne »Navn«, »Arbejdsmail«, »Sektor«" in page_text(response)
    checked = re.search(r'<input[^>]*name="kind"[^>]*checked[^>]*>', response.content.decode())
    assert checked is not None, "no choice checked"
    assert 'value="people"' in checked.group(0), "the choice was not kept"
    assert not OrgImport.objects.exists()


HOSTILE = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'; DROP TABLE forum_person; --",
    "{{ 7*7 }} {% debug %} %(x)s",
    "\u202eTitel",
)


def test_hostile_cells_are_shown_escaped_in_the_preview_and_stored_as_typed(
    client: Client, personas: Personas
) -> None:
    rows = [
        person_row(f"{text} {n}", f"hostile{n}@kommune.example", title=text)
        for n, text in enumerate(HOSTILE)
    ]
    saved = upload(_glostrup(), personas.admin, workbook(people=rows))
    client.force_login(personas.admin)

    preview = client.get(f"/organisation/import/{saved.pk}/")

    html = preview.content.decode()
    assert preview.status_code == 200
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; 0" in html
    assert "{{ 7*7 }} {% debug %} %(x)s 3" in html
    assert client.post(f"/organisation/import/{saved.pk}/bekraeft/").status_code == 302
    stored = dict(
        Person.objects.filter(email__startswith="hostile").values_list("email", "job_title")
    )
    assert stored == {f"hostile{n}@kommune.example": text for n, text in enumerate(HOSTILE)}


def test_a_csv_file_with_a_nul_byte_is_refused_in_danish(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.admin)
    content = b"Navn,Arbejdsmail,Sektor\r\nA\x00,a@kommune.example,Skole\r\n"

    response = client.post(
        f"/organisation/kommune/{_glostrup().pk}/import/",
        {"kind": "workbook", "file": SimpleUploadedFile("org.csv", content)},
    )

    assert response.status_code == 422
    assert "CSV-filen kunne ikke læses" in page_text(response)
    assert not OrgImport.objects.exists()
