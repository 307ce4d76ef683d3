"""A young person with a CPR number on every page that can show one, and the access-log search
that must find each visit: shared by the access-log tests."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from cases import services
from cases.models import Case, Concern, ConcernCategory, SubjectKind, YoungPerson
from forum.models import Body, Municipality, Person
from meetings import services as meeting_services
from meetings.models import AgendaAttachment, AgendaItem, Meeting
from ssp.models import AuditEvent, User
from tests.personas import Personas

NAME = "Logbar Testesen"
CPR = "010210-4123"
MASKED_CPR = "010210-XXXX"
GROUP_115 = "Mandagsgruppen (§115)"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
HTMX = {"HTTP_HX_REQUEST": "true"}
# How the database refuses to change or delete a log row: the trigger refuses the owner; the
# app's own role (ssp/db_roles.py), which the suite runs as with two roles, is refused before
# it by its privileges.
REFUSED = {
    op: rf"append-only: {op} refused|permission denied for table ssp_auditevent"
    for op in ("UPDATE", "DELETE")
}


@dataclass(frozen=True)
class World:
    """Logbar's case under the §115 group, coordinated by the consultant, with a follow-up
    due, an open action, a new concern waiting for triage, and an item with a decision, a
    task and an attachment on the group's (held) first meeting."""

    young_person: YoungPerson
    case: Case
    new_concern: Concern
    meeting: Meeting
    item: AgendaItem
    attachment: AgendaAttachment


def glostrup() -> Municipality:
    return Municipality.objects.get(code="161")


def albertslund() -> Municipality:
    return Municipality.objects.get(code="165")


def _person_of(user: User) -> Person:
    return Person.objects.get(municipality=glostrup(), user=user)


def _concern(author: User, **about: object) -> Concern:
    return services.concern_submit(
        author=author,
        municipality=glostrup(),
        subject_kind=SubjectKind.PERSON,
        category=ConcernCategory.objects.get(municipality=glostrup(), name="Kriminalitet"),
        description="Set sammen med ældre drenge ved stationen.",
        observed_on=timezone.localdate(),
        **about,
    )


def _held(meeting: Meeting) -> Meeting:
    """The meeting moved to yesterday, so its minutes can be written."""
    yesterday = timezone.localdate() - timedelta(days=1)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.make_aware(datetime.combine(yesterday, time(13))),
        ends_at=timezone.make_aware(datetime.combine(yesterday, time(15))),
    )
    meeting.refresh_from_db()
    return meeting


def build_world(personas: Personas) -> World:
    consultant = personas.consultant
    group_115 = Body.objects.get(municipality=glostrup(), name=GROUP_115)
    first = _concern(consultant, reported=services.ReportedIdentity(full_name=NAME, cpr_number=CPR))
    case = services.concern_open_case(
        concern=first,
        by=consultant,
        responsible_body=group_115,
        level="individual",
        prevention_kind="reactive",
    )
    services.case_update_details(
        case=case,
        by=consultant,
        level=case.level,
        prevention_kind=case.prevention_kind,
        responsible_body=group_115,
        coordinator=consultant,
        follow_up_on=timezone.localdate() + timedelta(days=3),
    )
    services.action_add(
        case=case, by=consultant, title="Samtale med Logbar", responsible=_person_of(consultant)
    )
    new_concern = _concern(consultant, young_person=case.young_person)
    meeting = _held(
        Meeting.objects.filter(body=group_115).order_by("starts_at").first()  # type: ignore[arg-type]
    )
    item = meeting_services.agenda_item_add(
        meeting=meeting,
        by=consultant,
        title="Logbars situation",
        case=case,
        purpose="Koordinere indsatsen.",
        criteria=dict.fromkeys(services.SHARE_CRITERIA, True),
    )
    meeting_services.decision_add(
        item=item,
        by=consultant,
        text="Skolen tager en samtale.",
        task_title="Samtale med forældrene",
        responsible=_person_of(consultant),
    )
    attachment = meeting_services.attachment_add(
        item=item, by=consultant, upload=SimpleUploadedFile("notat.pdf", PDF)
    )
    return World(
        young_person=YoungPerson.objects.get(pk=case.young_person_id),
        case=Case.objects.get(pk=case.pk),
        new_concern=new_concern,
        meeting=meeting,
        item=item,
        attachment=attachment,
    )


def world_with_cleanup(personas: Personas) -> Iterator[World]:
    """`build_world` for a fixture: the rows roll back with the test, the stored file would
    not, so it is removed after."""
    built = build_world(personas)
    yield built
    (Path(settings.PRIVATE_MEDIA_ROOT) / built.attachment.file.name).unlink(missing_ok=True)


def last_event_id() -> int:
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def events_about(young_person_id: int, after: int) -> list[AuditEvent]:
    """The access-log rows written after `after` that name the young person, as the one they
    are about or among those a page showed."""
    return [
        event
        for event in AuditEvent.objects.filter(id__gt=after).order_by("id")
        if event.subject_id == young_person_id or young_person_id in event.shown_subjects
    ]


def log_search(client: Client, **query: object) -> tuple[int, list[AuditEvent]]:
    """The access-log page's answer to a search posted from its form: its status and the
    events it lists."""
    response = client.post("/adgangslog/", query)
    if response.status_code != 200:
        return response.status_code, []
    return 200, list(response.context["page_obj"].object_list)
