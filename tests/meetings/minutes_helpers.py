"""Shared data for the minutes tests: the first meeting of the demo §115 group
(Mandagsgruppen), moved into the past. Its agenda has three standing items and Jonas's case,
which the consultant, police and social worker may see, and its guest (the club worker) may
not."""

from __future__ import annotations

import io
from datetime import datetime, time, timedelta

import pypdf
from django.utils import timezone

from forum.models import Person
from meetings import services
from meetings.models import AgendaItem, Meeting
from tests.personas import Personas

JONAS = "Demo-Jonas Fiktivsen"
CASE_ITEM = "Drøftelse af indsats"
REDACTED = "Sag – begrænset adgang"
CASE_MINUTES = "Skolen og klubben følger op på fraværet."
CASE_DECISION = "Politiet tager en bekymringssamtale."
GROUP_115_PARTICIPANTS = {
    "konsulent@demo.ssp",
    "politi@demo.ssp",
    "social@demo.ssp",
    "klub@demo.ssp",
}


def at_days(days: int, hour: int) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour)))


def first_monday_meeting() -> Meeting:
    return Meeting.objects.filter(body__name="Mandagsgruppen (§115)").order_by("starts_at").first()


def hold_first_monday_meeting() -> Meeting:
    """The §115 group's first meeting, moved to yesterday 13–15 (time travel by update)."""
    meeting = first_monday_meeting()
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=at_days(-1, 13), ends_at=at_days(-1, 15))
    meeting.refresh_from_db()
    return meeting


def write_case_minutes(held: Meeting, personas: Personas) -> AgendaItem:
    """Minutes and a decision with a task on the case item, and minutes on a standing item."""
    item = item_titled(held, CASE_ITEM)
    services.minutes_write(
        meeting=held,
        texts={item.pk: CASE_MINUTES, item_titled(held, "SSP siden sidst").pk: "Ny klub åbner."},
    )
    services.decision_add(
        item=item,
        by=personas.consultant,
        text=CASE_DECISION,
        task_title="Bekymringssamtale",
        responsible=glostrup_person("politi@demo.ssp"),
    )
    return item


def item_titled(meeting: Meeting, title: str) -> AgendaItem:
    return meeting.agenda_items.get(title=title)


def glostrup_person(email: str) -> Person:
    return Person.objects.get(user__email=email, municipality__code="161")


def pdf_text(content: bytes) -> str:
    """The text of a PDF, whitespace collapsed."""
    reader = pypdf.PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())
