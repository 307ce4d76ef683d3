"""What the ActionCard never shows: private phone numbers and addresses of forum actors, and
anything about young people (names, CPR numbers), in the PDF, the public and editorial pages
or the edition's stored contents. And what it must show: the actors' work phones and emails.

The private contacts belong to forum actors on purpose (see devtools.demo.forum.PRIVATE_CONTACTS):
their names are on the ActionCard, so a template that printed the whole person would leak.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass

import pytest
from django.test import Client
from pypdf import PdfReader
from pypdf.generic import StreamObject

from actioncard import services
from actioncard.models import Edition
from cases import cpr
from cases import services as cases_services
from cases.models import YoungPerson
from devtools.demo.forum import PRIVATE_CONTACTS
from forum.models import Municipality, Person, Unit
from tests.actioncard.conftest import YEAR, pdf_text, publish
from tests.personas import Personas

pytestmark = pytest.mark.django_db

# A CPR number for a young person in Glostrup (17 May 2012; the 7th digit 4 with year 12 means
# 2012), passing modulus 11.
CPR_NUMBER = "1705124003"
CPR_YOUNG_PERSON = "Demo-Viktor Cprsen"
# Work contact details of forum actors, among them the three with private contacts.
WORK_CONTACTS = (
    ("Kirsten Kragh", "+45 43 23 60 01", "konsulent@demo.ssp"),
    ("Peter Poulsen", "+45 43 86 14 50", "politi@demo.ssp"),
    ("Jens Juhl", "+45 20 00 00 01", "jens.juhl@demo.ssp"),
    ("Karin Kjær", "", "karin.kjaer@demo.ssp"),
)


@dataclass(frozen=True)
class Secret:
    what: str
    value: str


def _squeezed(text: str) -> str:
    """Text without whitespace: PDF text extraction breaks and joins lines at will."""
    return re.sub(r"\s+", "", text)


def _secrets() -> list[Secret]:
    """Everything the ActionCard must never show, in every spelling a template could use."""
    secrets = []
    for (_municipality, name), (phone, address) in PRIVATE_CONTACTS.items():
        secrets += [
            Secret(f"the private phone of {name}", phone),
            # A tel: link drops the spaces.
            Secret(f"the private phone of {name} (as a link)", phone.replace(" ", "")),
            Secret(f"the private phone of {name} (without +45)", phone.removeprefix("+45 ")),
            Secret(f"the private address of {name}", address),
        ]
    for young_person in YoungPerson.objects.all():
        secrets.append(Secret("a young person's name", young_person.full_name))
        if young_person.cpr_token:
            digits = cpr.decrypt(young_person.cpr_token)
            secrets += [
                Secret(f"the CPR number of {young_person.full_name}", digits),
                Secret(
                    f"the CPR number of {young_person.full_name} (dashed)",
                    f"{digits[:6]}-{digits[6:]}",
                ),
            ]
    return secrets


@pytest.fixture
def young_person_with_cpr(personas: Personas) -> YoungPerson:
    """A Glostrup pupil with a CPR number, at the school of SSP-team Vestervang."""
    glostrup = Municipality.objects.get(code="161")
    return cases_services.young_person_find_or_create(
        municipality=glostrup,
        full_name=CPR_YOUNG_PERSON,
        cpr_number=CPR_NUMBER,
        school=Unit.objects.get(municipality=glostrup, name="Glostrup Skole, afdeling Vestervang"),
        created_by=personas.consultant,
    )


@pytest.fixture
def edition(personas: Personas, young_person_with_cpr: YoungPerson) -> Edition:
    """Glostrup's published edition, made while the young people are in the system."""
    glostrup = Municipality.objects.get(code="161")
    edition = services.edition_start(municipality=glostrup, year=YEAR, by=personas.admin)
    return publish(edition, personas.admin)


def test_the_secrets_include_the_seeded_private_contacts_young_people_and_a_cpr_number(
    young_person_with_cpr: YoungPerson,
) -> None:
    """The leak tests below would pass on an empty list: check it is not empty."""
    values = {secret.value for secret in _secrets()}

    assert {"+45 31 41 59 26", "Ravnevej 7, 2600 Glostrup"} <= values
    assert {"Demo-Mikkel Eksempelsen", "Demo-Freja Fantasisen", CPR_YOUNG_PERSON} <= values
    assert {CPR_NUMBER, "170512-4003"} <= values
    assert Person.objects.filter(private_phone="+45 31 41 59 26").exists()


def _assert_no_secret(text: str, where: str) -> None:
    squeezed = _squeezed(text)
    leaks = [
        f"{secret.what} ({secret.value!r})"
        for secret in _secrets()
        if _squeezed(secret.value) in squeezed
    ]
    assert not leaks, f"LEAK in {where}: " + "; ".join(leaks)


def _assert_work_contacts(text: str, where: str) -> None:
    squeezed = _squeezed(text)
    for name, phone, email in WORK_CONTACTS:
        for value in (name, phone, email):
            if value:
                assert _squeezed(value) in squeezed, f"{name}'s {value!r} is missing from {where}"


def _page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, f"{url}: expected 200, got {response.status_code}"
    return response.content.decode()


def test_the_published_pdf_text_shows_work_contacts_and_nothing_private(edition: Edition) -> None:
    text = pdf_text(edition.pdf.read())

    _assert_work_contacts(text, "the PDF's text")
    _assert_no_secret(text, "the PDF's text")


def _pdf_objects(pdf: bytes) -> str:
    """Every object of the PDF, decompressed: metadata, bookmarks, alternative texts, link
    targets (tel: and mailto:) and content streams, none of which the extracted text holds."""
    reader = PdfReader(io.BytesIO(pdf))
    parts = []
    for number in range(1, reader.trailer["/Size"]):
        obj = reader.get_object(number)
        if isinstance(obj, StreamObject):
            parts.append(obj.get_data().decode("latin-1"))
        parts.append(repr(obj))
    return "\n".join(parts)


def test_the_pdf_file_holds_nothing_private_outside_its_text(
    edition: Edition, client: Client
) -> None:
    stored = edition.pdf.read()
    response = client.get("/handlekort/161/aktuel.pdf")
    served = b"".join(response.streaming_content)
    assert served == stored

    for encoding in ("utf-8", "utf-16-be"):
        leaks = [
            f"{secret.what} ({secret.value!r})"
            for secret in _secrets()
            if secret.value.encode(encoding) in served
        ]
        assert not leaks, f"LEAK in the PDF's raw bytes ({encoding}): " + "; ".join(leaks)
    objects = _pdf_objects(served)
    # The search reaches the metadata and the links: it would see a leak there.
    assert "SSP-handlekort for Glostrup 2027" in objects
    assert "tel:+4543236001" in objects
    assert "mailto:konsulent@demo.ssp" in objects
    leaks = [
        f"{secret.what} ({secret.value!r})" for secret in _secrets() if secret.value in objects
    ]
    assert not leaks, "LEAK in the PDF's objects: " + "; ".join(leaks)


def test_the_public_pages_show_work_contacts_and_nothing_private(
    edition: Edition, client: Client
) -> None:
    for url in ("/handlekort/161/", edition.public_url(), "/handlekort/"):
        page = _page(client, url)

        _assert_no_secret(page, f"the public page {url}")
    _assert_work_contacts(_page(client, "/handlekort/161/"), "the public page")


def test_the_editorial_pages_show_work_contacts_and_nothing_private(
    edition: Edition, personas: Personas, client: Client
) -> None:
    """The administrator of the ActionCard is also allowed to see private contacts elsewhere:
    the editorial pages must still leave them out, since they show what will be printed."""
    draft = services.edition_start(
        municipality=edition.municipality, year=YEAR + 1, by=personas.admin
    )
    client.force_login(personas.admin)

    for current in (edition, draft):
        url = current.get_absolute_url()
        page = _page(client, url)

        _assert_work_contacts(page, f"the editorial page {url}")
        _assert_no_secret(page, f"the editorial page {url}")
    _assert_no_secret(_page(client, "/handlekort/redaktion/"), "the list of editions")
    _assert_no_secret(_page(client, f"/handlekort/redaktion/{draft.pk}/tekster/"), "the texts page")


def test_the_stored_contents_hold_work_contacts_and_nothing_private(edition: Edition) -> None:
    contents = json.dumps(Edition.objects.get(pk=edition.pk).contents, ensure_ascii=False)

    _assert_work_contacts(contents, "the edition's contents")
    _assert_no_secret(contents, "the edition's contents")


# The private contact on the person's own page ----------------------------------------------

JENS_JUHL_PRIVATE = PRIVATE_CONTACTS[("Glostrup", "Jens Juhl")]


def _person_page(client: Client, personas: Personas, persona: str) -> str:
    person = Person.objects.get(municipality__code="161", full_name="Jens Juhl")
    client.force_login(personas[persona])
    return _page(client, f"/organisation/person/{person.pk}/")


@pytest.mark.parametrize("persona", ["consultant", "admin"])
def test_the_consultant_and_the_administrator_see_the_private_contact_on_the_persons_page(
    client: Client, personas: Personas, persona: str
) -> None:
    page = _person_page(client, personas, persona)

    phone, address = JENS_JUHL_PRIVATE
    assert phone in page, f"{persona} misses Jens Juhl's private phone"
    assert address in page, f"{persona} misses Jens Juhl's private address"
    assert "+45 20 00 00 01" in page


@pytest.mark.parametrize("persona", ["police", "leader"])
def test_police_and_a_school_leader_do_not_see_the_private_contact_on_the_persons_page(
    client: Client, personas: Personas, persona: str
) -> None:
    page = _person_page(client, personas, persona)

    phone, address = JENS_JUHL_PRIVATE
    assert "+45 20 00 00 01" in page, f"{persona} misses Jens Juhl's work phone"
    assert _squeezed(phone) not in _squeezed(page), f"LEAK: {persona} sees the private phone"
    assert address not in page, f"LEAK: {persona} sees the private address"
