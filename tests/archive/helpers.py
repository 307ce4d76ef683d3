"""Building, dumping and deleting a municipality for the archive tests."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, models
from django.utils import timezone

from actioncard import services as actioncard_services
from actioncard.models import GuideEntry
from archive import crypto
from archive.members import CASES, MEMBERS, members_for
from archive.writer import ArchiveJSONEncoder, archive_write, concrete_fields
from forum import services as forum_services
from forum.models import Body, BodyKind, Municipality, Person
from meetings import services as meeting_services
from meetings.models import Meeting
from reports.models import CooperationPlanSection
from ssp.models import User
from tests.factories import MeetingFactory, PersonFactory

PASSPHRASE = "korrekt hest batteri hæfteklamme"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def add_meeting_with_minutes(municipality: Municipality, organiser: User) -> None:
    """A held meeting of one of the municipality's bodies with an agenda, minutes, a decision
    with a task, an attachment and attendance: the meetings app's whole shape."""
    body = (
        Body.objects.filter(municipality=municipality, memberships__isnull=False)
        .exclude(kind=BodyKind.AD_HOC)
        .first()
    )
    assert body is not None
    guest = PersonFactory(municipality=municipality, full_name="Mødegæst Arkivsen")
    start = (timezone.localtime() + timedelta(days=3)).replace(microsecond=0)
    meeting = MeetingFactory(
        body=body, organiser=organiser, starts_at=start, ends_at=start + timedelta(hours=1)
    )
    item = meeting_services.agenda_item_add(
        meeting=meeting, by=organiser, title="Tryghedsvandring", description="Ruten i år"
    )
    meeting_services.attachment_add(
        item=item, by=organiser, upload=SimpleUploadedFile("rute.pdf", PDF, "application/pdf")
    )
    # The meeting has been held: minutes are written once it has begun.
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=start - timedelta(days=6), ends_at=start - timedelta(days=6, hours=-1)
    )
    meeting.refresh_from_db()
    present = meeting.participants.values_list("pk", flat=True)[:1]
    meeting_services.attendance_record(meeting=meeting, present=list(present))
    meeting_services.minutes_write(meeting=meeting, texts={item.pk: "Vi går i maj."}, by=organiser)
    meeting_services.decision_add(
        item=item, text="Vandringen holdes", task_title="Book bus", responsible=guest, by=organiser
    )


def add_seats_elsewhere(municipality: Municipality) -> None:
    """Two of the municipality's people seated in bodies that are not its own: the police
    district's Kredsråd and a network group of a neighbour that spans it."""
    people = list(Person.objects.filter(municipality=municipality).order_by("pk")[:2])
    kredsraad = Body.objects.get(
        kind=BodyKind.KREDSRAAD, police_district=municipality.police_district
    )
    network = Body.objects.filter(member_municipalities=municipality).exclude(
        municipality=municipality
    )[0]
    forum_services.membership_add(body=kredsraad, person=people[0], by=None)
    forum_services.membership_add(body=network, person=people[1], by=None)


def add_draft_actioncard(municipality: Municipality, by: User) -> None:
    """This year's ActionCard draft, with its guide and a PDF, as the editor leaves it."""
    edition = actioncard_services.edition_start(
        municipality=municipality, year=timezone.localdate().year, by=by
    )
    GuideEntry.objects.get_or_create(
        edition=edition, position=1, defaults={"situation": "Du er bekymret", "advice": "Ring"}
    )
    edition.pdf.save("kort.pdf", ContentFile(PDF))


def export(municipality: Municipality, user: User, *, cases: bool = False) -> bytes:
    kdf = crypto.KdfParameters.fresh()
    key = crypto.derive_key(PASSPHRASE, kdf)
    scopes = tuple(m.scope for m in MEMBERS if cases or m.scope != CASES)
    scopes = (*dict.fromkeys(scopes), "statistics")
    return archive_write(
        municipality=municipality,
        scopes=scopes,
        key=key,
        kdf=kdf,
        created_by_role="administrator",
        statistics_user=user,
        installation="test",
    ).data


def _plain(obj: models.Model) -> dict[str, Any]:
    out: dict[str, Any] = {"model": obj._meta.label}
    for f in obj._meta.concrete_fields:
        if f.primary_key or f.is_relation or f.name == "group":
            continue
        value = getattr(obj, f.attname)
        if isinstance(f, models.FileField):
            value = hashlib.sha256(value.open("rb").read()).hexdigest() if value else ""
        out[f.name] = value
    return out


def _ident(obj: models.Model | None) -> Any:
    if obj is None:
        return None
    if isinstance(obj, User):
        return obj.email
    if isinstance(obj, Municipality):
        return obj.code
    return json.dumps(_plain(obj), cls=ArchiveJSONEncoder, sort_keys=True)


def canonical_dump(municipality: Municipality, scopes: tuple[str, ...]) -> dict[str, list[str]]:
    """Every row the archive covers, with references as the referenced row's own fields and
    no database ids: equal before the export and after the import when nothing was lost."""
    dump: dict[str, list[str]] = {}
    for member in members_for(scopes):
        rows = []
        for obj in member.rows(municipality):
            row = _plain(obj)
            for f in concrete_fields(member):
                if f.is_relation and f.name != "group":
                    row[f.name] = _ident(getattr(obj, f.name))
            for name in member.m2m:
                row[name] = sorted(_ident(o) for o in getattr(obj, name).all())
            rows.append(json.dumps(row, cls=ArchiveJSONEncoder, sort_keys=True))
        dump[member.name] = sorted(rows)
    return dump


def municipality_delete(municipality: Municipality) -> None:
    """Everything the archive covers, then the municipality: an installation without it."""
    with connection.cursor() as cursor:
        # As the retention job does: court-safe concerns, notes and actions may then go.
        cursor.execute("SELECT set_config('ssp.retention', 'on', true)")
    groups = list(Body.objects.filter(municipality=municipality).values_list("group", flat=True))
    # Outside the archive: the Kredsråd's plan (the district's) keeps a section per member.
    CooperationPlanSection.objects.filter(municipality=municipality).delete()
    for member in reversed(MEMBERS):
        queryset = member.rows(municipality)
        for f in concrete_fields(member):
            if f.is_relation and f.related_model is member.model:
                queryset.update(**{f.name: None})
        queryset.delete()
    Group.objects.filter(pk__in=groups).delete()
