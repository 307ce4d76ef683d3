"""Agenda items about a case, and the minutes, decisions, tasks and attachments under them, are
the young person's data: every service that writes them writes the access log against the
young person and the case's municipality. Items about no case write no one's."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.models import Case
from cases.services import SHARE_CRITERIA
from meetings import services
from meetings.models import AgendaAttachment, AgendaItem, Meeting
from ssp.models import AuditAction, AuditEvent
from tests.meetings.minutes_helpers import (
    JONAS,
    glostrup_person,
    hold_first_monday_meeting,
    item_titled,
)
from tests.personas import Personas

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _jonas() -> Case:
    return Case.objects.get(young_person__full_name=JONAS)


def _after(event_id: int) -> list[tuple[str, str, str, int | None, int | None, str]]:
    return [
        (e.user_email, e.action, e.object_type, e.subject_id, e.municipality_id, e.object_id)
        for e in AuditEvent.objects.filter(id__gt=event_id).order_by("id")
    ]


def _last() -> int:
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


@pytest.fixture
def held() -> Meeting:
    return hold_first_monday_meeting()


@pytest.fixture
def case_item(held: Meeting) -> AgendaItem:
    """Jonas's item on the held §115 meeting (seeded with the demo)."""
    return item_titled(held, "Drøftelse af indsats")


@pytest.fixture
def stored_files_removed() -> Iterator[None]:
    before = set(AgendaAttachment.objects.values_list("pk", flat=True))
    yield
    for attachment in AgendaAttachment.objects.exclude(pk__in=before):
        (Path(settings.PRIVATE_MEDIA_ROOT) / attachment.file.name).unlink(missing_ok=True)


def test_putting_a_case_on_the_agenda_is_logged_against_the_young_person(
    held: Meeting, personas: Personas
) -> None:
    case = _jonas()
    before = _last()

    item = services.agenda_item_add(
        meeting=held,
        by=personas.consultant,
        title="Opfølgning",
        case=case,
        purpose="Status fra skolen.",
        criteria=dict.fromkeys(SHARE_CRITERIA, True),
    )

    assert _after(before) == [
        (
            "konsulent@demo.ssp",
            AuditAction.CREATE,
            "meetings.agendaitem",
            case.young_person_id,
            case.municipality_id,
            str(item.pk),
        )
    ]
    assert AuditEvent.objects.get(id__gt=before).purpose == "Status fra skolen."


def test_an_item_about_no_case_writes_no_ones_data(held: Meeting, personas: Personas) -> None:
    before = _last()

    services.agenda_item_add(meeting=held, by=personas.consultant, title="Eventuelt")

    assert _after(before) == []


def test_a_decision_and_its_task_under_a_case_item_are_logged(
    case_item: AgendaItem, personas: Personas
) -> None:
    case = _jonas()
    before = _last()

    decision = services.decision_add(
        item=case_item,
        by=personas.consultant,
        text="Politiet tager en bekymringssamtale.",
        task_title="Bekymringssamtale",
        responsible=glostrup_person("politi@demo.ssp"),
    )

    about = ("konsulent@demo.ssp", AuditAction.CREATE)
    subject = (case.young_person_id, case.municipality_id)
    assert _after(before) == [
        (*about, "meetings.decision", *subject, str(decision.pk)),
        (*about, "meetings.task", *subject, str(decision.task.pk)),
    ]


def test_writing_minutes_logs_each_case_item_written_and_no_other(
    held: Meeting, case_item: AgendaItem, personas: Personas
) -> None:
    case = _jonas()
    standing = item_titled(held, "SSP siden sidst")
    before = _last()

    services.minutes_write(
        meeting=held,
        texts={case_item.pk: "Skolen følger op.", standing.pk: "Ny klub åbner."},
        by=personas.consultant,
    )

    assert _after(before) == [
        (
            "konsulent@demo.ssp",
            AuditAction.UPDATE,
            "meetings.agendaitem",
            case.young_person_id,
            case.municipality_id,
            str(case_item.pk),
        )
    ]


def test_closing_a_task_under_a_case_item_is_logged(
    case_item: AgendaItem, personas: Personas
) -> None:
    decision = services.decision_add(
        item=case_item,
        by=personas.consultant,
        text="Skolen tager en samtale.",
        task_title="Samtale",
        responsible=glostrup_person("konsulent@demo.ssp"),
    )
    before = _last()

    services.task_mark_done(task=decision.task, by=personas.consultant)
    services.task_mark_done(task=decision.task, by=personas.consultant)

    case = _jonas()
    assert _after(before) == [
        (
            "konsulent@demo.ssp",
            AuditAction.UPDATE,
            "meetings.task",
            case.young_person_id,
            case.municipality_id,
            str(decision.task.pk),
        )
    ], "a task is closed once, and logged once"


def test_attaching_and_removing_a_file_under_a_case_item_are_logged(
    case_item: AgendaItem, personas: Personas, stored_files_removed: None
) -> None:
    case = _jonas()
    before = _last()

    attachment = services.attachment_add(
        item=case_item, by=personas.consultant, upload=SimpleUploadedFile("notat.pdf", PDF)
    )
    attachment_id = attachment.pk
    services.attachment_remove(attachment=attachment, by=personas.consultant)

    subject = (case.young_person_id, case.municipality_id, str(attachment_id))
    assert _after(before) == [
        ("konsulent@demo.ssp", AuditAction.CREATE, "meetings.agendaattachment", *subject),
        ("konsulent@demo.ssp", AuditAction.DELETE, "meetings.agendaattachment", *subject),
    ]


def test_taking_a_case_off_the_agenda_is_logged(case_item: AgendaItem, personas: Personas) -> None:
    case = _jonas()
    before = _last()
    item_id = case_item.pk

    services.agenda_item_remove(item=case_item, by=personas.consultant)

    # The §115 basis the item gave the meeting's body ends with it.
    assert _after(before) == [
        (
            "konsulent@demo.ssp",
            AuditAction.DELETE,
            "meetings.agendaitem",
            case.young_person_id,
            case.municipality_id,
            str(item_id),
        ),
        (
            "konsulent@demo.ssp",
            AuditAction.REVOKE,
            "cases.case",
            case.young_person_id,
            case.municipality_id,
            str(case.pk),
        ),
    ]


def test_the_meeting_page_logs_its_case_items_in_one_row_per_municipality(
    held: Meeting, personas: Personas, client
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(personas.consultant)
    before = _last()

    response = client.get(f"/moeder/{held.pk}/")

    assert response.status_code == 200
    events = list(AuditEvent.objects.filter(id__gt=before))
    assert [(e.action, e.object_type, e.object_id) for e in events] == [
        (AuditAction.VIEW, "meetings.meeting", str(held.pk))
    ]
    assert events[0].shown_subjects == [_jonas().young_person_id]
    assert events[0].municipality_id == _jonas().municipality_id


def test_a_reader_who_sees_the_item_redacted_is_not_logged_as_reading_it(
    held: Meeting, personas: Personas, client
) -> None:  # type: ignore[no-untyped-def]
    """The club worker is a guest of the meeting and may not see Jonas's case."""
    client.force_login(personas.club)
    before = _last()

    response = client.get(f"/moeder/{held.pk}/")

    assert response.status_code == 200
    assert JONAS not in response.content.decode()
    assert list(AuditEvent.objects.filter(id__gt=before)) == []
