"""The ActionCard PDF as a document: PDF/UA tagging, clickable links, a table of contents with
the right page numbers, running header and footer. (The PNGs of the demo card's pages are made
by tests/actioncard/test_cardlayout.py.)"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from pypdf import PdfReader

from actioncard import rendering, services
from actioncard.models import Edition
from forum.models import Municipality
from tests.personas import Personas

pytestmark = pytest.mark.django_db

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"


@pytest.fixture
def reader(published: Edition) -> PdfReader:
    return PdfReader(io.BytesIO(published.pdf.read()))


def test_the_pdf_is_tagged_pdf_ua_in_danish(reader: PdfReader) -> None:
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "da"
    assert reader.metadata.title == "SSP-handlekort for Glostrup 2027"
    assert b"pdfuaid:part" in root["/Metadata"].get_object().get_data()


def _links(reader: PdfReader) -> list[str]:
    uris = []
    for page in reader.pages:
        for annotation in page.get("/Annots", []):
            action = annotation.get_object().get("/A", {})
            if "/URI" in action:
                uris.append(action["/URI"])
    return uris


def test_phone_numbers_and_emails_are_clickable(reader: PdfReader) -> None:
    links = _links(reader)

    assert "mailto:konsulent@demo.ssp" in links
    assert "tel:+4543236001" in links


def test_the_table_of_contents_gives_the_pages_the_chapters_start_on(reader: PdfReader) -> None:
    pages = [page.extract_text() for page in reader.pages]
    toc = pages[0]  # at the foot of page one, under "who do I call"
    for chapter in ("Forord", "Organisationen", "SSP-Forum: aktørerne", "Skolernes SSP-teams"):
        listed = re.search(rf"{re.escape(chapter)} \.+ +(\d+)", toc)
        assert listed, f"{chapter!r} is not in the table of contents"
        page_number = int(listed.group(1))
        assert chapter in pages[page_number - 1], f"{chapter!r} is not on page {page_number}"


def test_every_page_has_the_running_footer(
    reader: PdfReader,
) -> None:
    count = len(reader.pages)
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert "SSP-handlekort for Glostrup 2027" in text
        assert f"Side {number} af {count}" in text


def test_a_preview_is_marked_as_such_on_every_page(
    glostrup: Municipality, personas: Personas
) -> None:
    draft = services.edition_start(municipality=glostrup, year=2030, by=personas.admin)
    reader = PdfReader(io.BytesIO(rendering.edition_pdf(draft)))

    for page in reader.pages:
        assert "PRØVETRYK – ikke udgivet" in page.extract_text()
