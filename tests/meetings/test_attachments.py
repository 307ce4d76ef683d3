"""Agenda attachments: type checked by content, size limited, stored outside the web root,
served only to those who may read the item, never on a redacted case item."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from meetings import services
from meetings.models import AgendaAttachment, AgendaItem, Meeting
from ssp.models import StoredFile
from tests.personas import Personas

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _remove_stored_files(stored_files_removed: None) -> None:
    """Every test here writes files; they go with the test."""


def _monday() -> Meeting:
    """The first §115 meeting of the demo: Jonas's case is its fourth item, Kasper Krog (club)
    is a guest who may not see that case."""
    return Meeting.objects.filter(body__name="Mandagsgruppen (§115)").order_by("starts_at")[0]


def _item(meeting: Meeting, *, case: bool) -> AgendaItem:
    return meeting.agenda_items.filter(case__isnull=not case).order_by("position").first()


def _upload(client: Client, meeting: Meeting, item: AgendaItem, name: str, content: bytes):  # type: ignore[no-untyped-def]
    return client.post(
        f"/moeder/{meeting.pk}/dagsorden/{item.pk}/bilag/",
        {"file": SimpleUploadedFile(name, content, "application/pdf")},
        follow=True,
    )


def test_a_pdf_is_attached_under_a_random_name_outside_the_web_root(
    client: Client, personas: Personas
) -> None:
    meeting = _monday()
    client.force_login(personas.consultant)

    response = _upload(client, meeting, _item(meeting, case=False), '../../etc/"Plan".pdf', PDF)

    assert "Filen er vedhæftet punktet." in response.content.decode()
    attachment = AgendaAttachment.objects.get(item__meeting=meeting)
    assert (attachment.original_name, attachment.content_type, attachment.size) == (
        "Plan.pdf",
        "application/pdf",
        len(PDF),
    )
    # Stored in the database (ssp.storage.DatabaseStorage), under a random name, never on disk.
    stored = StoredFile.objects.get(name=attachment.file.name)
    assert bytes(stored.content) == PDF
    assert stored.size == len(PDF)
    assert "Plan" not in attachment.file.name
    assert ".." not in attachment.file.name
    assert not (Path(settings.PRIVATE_MEDIA_ROOT) / attachment.file.name).exists()
    assert not (Path(settings.STATIC_ROOT) / attachment.file.name).exists()


def test_the_type_is_judged_by_content_not_by_name(client: Client, personas: Personas) -> None:
    meeting = _monday()
    client.force_login(personas.consultant)

    disguised = _upload(
        client, meeting, _item(meeting, case=False), "dagsorden.pdf", b"<script>alert(1)</script>"
    )
    image = _upload(client, meeting, _item(meeting, case=False), "foto.pdf", PNG)

    assert "Filtypen kan ikke vedhæftes." in disguised.content.decode()
    assert list(AgendaAttachment.objects.values_list("content_type", flat=True)) == ["image/png"]
    assert image.status_code == 200


def test_a_file_over_the_limit_is_refused(client: Client, personas: Personas, settings) -> None:  # type: ignore[no-untyped-def]
    settings.ATTACHMENT_MAX_BYTES = 1024
    meeting = _monday()
    client.force_login(personas.consultant)

    response = _upload(client, meeting, _item(meeting, case=False), "stor.pdf", PDF + b" " * 2000)

    assert "Filen er for stor. Den må højst fylde 1,0\xa0KB." in response.content.decode()
    assert not AgendaAttachment.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("consultant", 200),
        ("police", 200),
        ("social", 200),
        # The club worker is a guest at the meeting, but may not see the case.
        ("club", 404),
        ("leader", 404),
        ("police2", 404),
        ("admin", 404),
        ("outsider", 404),
    ],
)
def test_an_attachment_on_a_case_item_is_served_only_to_readers_of_the_case(
    client: Client, personas: Personas, persona: str, status: int
) -> None:
    meeting = _monday()
    attachment = services.attachment_add(
        item=_item(meeting, case=True),
        by=personas.consultant,
        upload=SimpleUploadedFile("notat.pdf", PDF),
    )
    client.force_login(personas[persona])

    response = client.get(f"/moeder/{meeting.pk}/bilag/{attachment.pk}/")

    assert response.status_code == status
    if status == 200:
        assert response["Content-Disposition"] == 'attachment; filename="notat.pdf"'
        assert b"".join(response.streaming_content) == PDF
    page = client.get(f"/moeder/{meeting.pk}/")
    assert ("notat.pdf" in page.content.decode()) == (status == 200 and page.status_code == 200)


def test_an_attachment_on_an_open_item_is_served_to_every_participant(
    client: Client, personas: Personas
) -> None:
    meeting = _monday()
    attachment = services.attachment_add(
        item=_item(meeting, case=False),
        by=personas.consultant,
        upload=SimpleUploadedFile("oversigt.pdf", PDF),
    )
    client.force_login(personas.club)

    response = client.get(f"/moeder/{meeting.pk}/bilag/{attachment.pk}/")

    assert response.status_code == 200


def test_only_the_organisers_attach_and_remove(client: Client, personas: Personas) -> None:
    meeting = _monday()
    attachment = services.attachment_add(
        item=_item(meeting, case=False),
        by=personas.consultant,
        upload=SimpleUploadedFile("oversigt.pdf", PDF),
    )
    client.force_login(personas.police)

    upload = client.post(
        f"/moeder/{meeting.pk}/dagsorden/{_item(meeting, case=False).pk}/bilag/",
        {"file": SimpleUploadedFile("x.pdf", PDF)},
    )
    removal = client.post(f"/moeder/{meeting.pk}/bilag/{attachment.pk}/fjern/")

    assert (upload.status_code, removal.status_code) == (403, 403)
    assert AgendaAttachment.objects.filter(item__meeting=meeting).count() == 1


def test_removing_an_attachment_deletes_its_file(
    client: Client, personas: Personas, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    meeting = _monday()
    attachment = services.attachment_add(
        item=_item(meeting, case=False),
        by=personas.consultant,
        upload=SimpleUploadedFile("oversigt.pdf", PDF),
    )
    stored = attachment.file.name
    assert StoredFile.objects.filter(name=stored).exists()
    client.force_login(personas.consultant)

    with django_capture_on_commit_callbacks(execute=False):  # gone in the same transaction
        response = client.post(f"/moeder/{meeting.pk}/bilag/{attachment.pk}/fjern/")

    assert response.status_code == 302
    assert not AgendaAttachment.objects.filter(pk=attachment.pk).exists()
    assert not StoredFile.objects.filter(name=stored).exists()


def test_attachments_are_locked_once_the_minutes_are_approved(
    client: Client, personas: Personas
) -> None:
    meeting = _monday()
    attachment = services.attachment_add(
        item=_item(meeting, case=False),
        by=personas.consultant,
        upload=SimpleUploadedFile("oversigt.pdf", PDF),
    )
    Meeting.objects.filter(pk=meeting.pk).update(
        minutes_approved_at=timezone.now() - timedelta(minutes=1),
        minutes_approved_by=personas.consultant,
    )
    client.force_login(personas.consultant)

    removal = client.post(f"/moeder/{meeting.pk}/bilag/{attachment.pk}/fjern/", follow=True)
    upload = _upload(client, meeting, _item(meeting, case=False), "ny.pdf", PDF)

    message = "Mødets referat er godkendt, så mødet kan ikke ændres."
    assert message in removal.content.decode()
    assert message in upload.content.decode()
    assert AgendaAttachment.objects.filter(item__meeting=meeting).count() == 1


@pytest.mark.parametrize(
    ("name", "content", "stored_as", "content_type"),
    [
        (
            "evil.html",
            PDF + b"<html><script>alert(1)</script></html>",
            "evil.pdf",
            "application/pdf",
        ),
        ("foto.pdf", PNG, "foto.png", "image/png"),
        ("Plan", PDF, "Plan.pdf", "application/pdf"),
        ("rapport.PDF", PDF, "rapport.PDF", "application/pdf"),
        ("billede.jpeg", b"\xff\xd8\xff\xe0" + b"\x00" * 64, "billede.jpeg", "image/jpeg"),
    ],
    ids=["pdf-as-html", "png-as-pdf", "no-extension", "upper-case", "jpeg-spelling"],
)
def test_the_stored_name_takes_the_extension_of_the_detected_type(
    client: Client,
    personas: Personas,
    name: str,
    content: bytes,
    stored_as: str,
    content_type: str,
) -> None:
    """A PDF with HTML after it, uploaded as "evil.html", must not come back as evil.html:
    the name's extension follows the content, and the download says the same."""
    meeting = _monday()
    item = _item(meeting, case=False)
    client.force_login(personas.consultant)

    _upload(client, meeting, item, name, content)

    attachment = AgendaAttachment.objects.get(item=item)
    assert (attachment.original_name, attachment.content_type) == (stored_as, content_type)
    response = client.get(f"/moeder/{meeting.pk}/bilag/{attachment.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="{stored_as}"'
