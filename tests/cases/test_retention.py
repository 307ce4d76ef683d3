"""Retention deletes what has expired and says what it deleted, keeps what is on legal hold,
erases a case that was on a meeting's agenda (the meeting keeps the item), and runs twice
without deleting more; expired §115 shares stop granting access. The full erasure test (every
column, every file) is test_erasure.py."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.utils import timezone

from cases import services
from cases.models import (
    Action,
    Basis,
    Case,
    CaseEvent,
    CaseEventKind,
    CaseStatus,
    Concern,
    Consent,
    DeletionRecord,
    Note,
    YoungPerson,
)
from cases.tasks import apply_retention, expire_shares
from forum.models import Body, Municipality
from meetings import services as meeting_services
from ssp.models import AuditAction, AuditEvent
from tests.factories import ConcernFactory
from tests.personas import Personas

pytestmark = pytest.mark.django_db

ALL_CRITERIA = dict.fromkeys(services.SHARE_CRITERIA, True)


def _case(young_person: str) -> Case:
    return Case.objects.select_related("young_person").get(young_person__full_name=young_person)


def _glostrup() -> Municipality:
    return Municipality.objects.get(code="161")


def _old_event(days: int) -> AuditEvent:
    """An access-log event as if logged `days` ago: inserting is the one write the log allows."""
    return AuditEvent.objects.create(
        at=timezone.now() - timedelta(days=days),
        action=AuditAction.VIEW,
        object_type="cases.case",
        municipality_id=_glostrup().pk,
    )


# --- Retention ------------------------------------------------------------------------------


@pytest.fixture
def short_retention(settings) -> None:  # type: ignore[no-untyped-def]
    settings.RETENTION_CONCERN_WITHOUT_CASE_DAYS = 30
    settings.RETENTION_CLOSED_CASE_DAYS = 60
    settings.RETENTION_NOTE_DAYS = 90
    settings.RETENTION_AUDIT_LOG_DAYS = 365


def _written_days_ago(note: Note, days: int) -> None:
    """The database lets only retention change a note (`ssp.retention`, which any role of the
    app may set, is how the trigger knows); the app's role may not switch triggers off."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL ssp.retention = 'on'")
    Note.objects.filter(pk=note.pk).update(created_at=timezone.now() - timedelta(days=days))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL ssp.retention = 'off'")


def _concern_without_case(personas: Personas, name: str, *, days_ago: int) -> Concern:
    # Nobody may rewrite a concern's submission time, so it is submitted back then.
    with time_machine.travel(timezone.now() - timedelta(days=days_ago), tick=False):
        return ConcernFactory(
            author=personas.club,
            municipality=_glostrup(),
            young_person=None,
            new_young_person=services.ReportedIdentity(full_name=name),
        )


def _closed_days_ago(case: Case, days: int, *, by) -> None:  # type: ignore[no-untyped-def]
    if case.status != CaseStatus.CLOSED:
        services.case_change_status(case=case, status=CaseStatus.CLOSED, by=by, reason="Afklaret.")
    Case.objects.filter(pk=case.pk).update(closed_at=timezone.now() - timedelta(days=days))


MAIN_TYPES = ("case", "concern", "young_person", "note")


def _deletion_records(types: tuple[str, ...] = MAIN_TYPES) -> set[tuple[str, int, int]]:
    return set(
        DeletionRecord.objects.filter(record_type__in=types).values_list(
            "record_type", "record_id", "municipality_id"
        )
    )


def _going_with(*cases: Case) -> dict[str, int]:
    """What erasing the cases deletes besides the cases, their concerns and young people,
    counted from the database before: their notes, actions, consents, bases and events."""
    counts = {
        "note": Note.objects.filter(case__in=cases).count(),
        "action": Action.objects.filter(case__in=cases).count(),
        "consent": Consent.objects.filter(case__in=cases).count(),
        "basis": Basis.objects.filter(case__in=cases).count(),
        "caseevent": CaseEvent.objects.filter(case__in=cases).count(),
    }
    return {record_type: count for record_type, count in counts.items() if count}


def _run_retention() -> dict[str, int]:
    return apply_retention.apply().get()


def test_a_submitted_concern_cannot_be_deleted_outside_retention() -> None:
    concern = Concern.objects.get(young_person__full_name="Demo-Freja Fantasisen")

    with pytest.raises(DatabaseError, match="cannot be deleted"), transaction.atomic():
        Concern.objects.filter(pk=concern.pk).delete()

    assert Concern.objects.filter(pk=concern.pk).exists()


def test_an_old_concern_without_a_case_goes_with_its_young_person(
    personas: Personas, short_retention: None
) -> None:
    old = _concern_without_case(personas, "Test-Gammel Bekymring", days_ago=31)
    recent = _concern_without_case(personas, "Test-Ny Bekymring", days_ago=29)
    demo_concerns = set(
        Concern.objects.exclude(pk__in=[old.pk, recent.pk]).values_list("pk", flat=True)
    )

    deleted = _run_retention()

    assert deleted == {"concern": 1, "young_person": 1, "audit_event": 0}
    assert not Concern.objects.filter(pk=old.pk).exists()
    assert not YoungPerson.objects.filter(pk=old.young_person_id).exists()
    assert set(Concern.objects.values_list("pk", flat=True)) == demo_concerns | {recent.pk}
    glostrup = _glostrup().pk
    assert _deletion_records() == {
        ("concern", old.pk, glostrup),
        ("young_person", old.young_person_id, glostrup),
    }
    assert DeletionRecord.objects.get(record_type="concern").rule == (
        "concern without case older than 30 days"
    )


def test_a_case_closed_long_ago_goes_with_its_notes_concerns_and_young_person(
    personas: Personas, short_retention: None
) -> None:
    emma = _case("Demo-Emma Eksempeldatter")  # closed in the demo data
    note = services.note_add(case=emma, author=personas.consultant, text="Afsluttende notat.")
    concern = Concern.objects.get(case=emma)
    _closed_days_ago(emma, 61, by=personas.consultant)
    mikkel = _case("Demo-Mikkel Eksempelsen")
    _closed_days_ago(mikkel, 59, by=personas.consultant)
    going = _going_with(emma)

    deleted = _run_retention()

    assert going["note"] == 1
    assert deleted == {"case": 1, "concern": 1, "young_person": 1, "audit_event": 0, **going}
    assert not Case.objects.filter(pk=emma.pk).exists()
    assert not Note.objects.filter(pk=note.pk).exists()
    assert not CaseEvent.objects.filter(case_id=emma.pk).exists()
    assert not Concern.objects.filter(pk=concern.pk).exists()
    assert not YoungPerson.objects.filter(pk=emma.young_person_id).exists()
    assert Case.objects.filter(pk=mikkel.pk).exists(), "a case closed 59 days ago was deleted"
    assert Note.objects.filter(case=mikkel).exists()
    glostrup = _glostrup().pk
    assert _deletion_records() == {
        ("case", emma.pk, glostrup),
        ("concern", concern.pk, glostrup),
        ("young_person", emma.young_person_id, glostrup),
        ("note", note.pk, glostrup),
    }


def test_a_deleted_case_takes_its_ad_hoc_group_along(
    personas: Personas, short_retention: None
) -> None:
    amalie = _case("Demo-Amalie Tænktsen")
    group = amalie.adhoc_group
    assert group is not None
    _closed_days_ago(amalie, 61, by=personas.consultant)

    _run_retention()

    assert not Case.objects.filter(pk=amalie.pk).exists()
    assert not Body.objects.filter(pk=group.pk).exists()


def test_an_old_note_on_an_open_case_is_deleted(personas: Personas, short_retention: None) -> None:
    mikkel = _case("Demo-Mikkel Eksempelsen")
    old = services.note_add(case=mikkel, author=personas.consultant, text="Gammelt notat.")
    _written_days_ago(old, 91)

    deleted = _run_retention()

    assert deleted == {"note": 1, "audit_event": 0}
    assert not Note.objects.filter(pk=old.pk).exists()
    assert Note.objects.filter(case=mikkel).count() == 1, "the demo note is younger"
    assert _deletion_records() == {("note", old.pk, _glostrup().pk)}


def test_records_on_legal_hold_are_kept(
    personas: Personas, short_retention: None, settings
) -> None:  # type: ignore[no-untyped-def]
    # The concerns are submitted 400 days ago, and so are their access-log rows: keep those.
    settings.RETENTION_AUDIT_LOG_DAYS = 500
    held_concern = _concern_without_case(personas, "Test-Holdt Bekymring", days_ago=400)
    Concern.objects.filter(pk=held_concern.pk).update(legal_hold=True)
    held_person = _concern_without_case(personas, "Test-Holdt Ung", days_ago=400)
    YoungPerson.objects.filter(pk=held_person.young_person_id).update(legal_hold=True)
    emma = _case("Demo-Emma Eksempeldatter")
    _closed_days_ago(emma, 400, by=personas.consultant)
    Case.objects.filter(pk=emma.pk).update(legal_hold=True)
    old_note = services.note_add(case=emma, author=personas.consultant, text="Holdt notat.")
    _written_days_ago(old_note, 400)

    deleted = _run_retention()

    assert deleted == {"audit_event": 0}
    assert Concern.objects.filter(pk__in=[held_concern.pk, held_person.pk]).count() == 2
    assert Case.objects.filter(pk=emma.pk).exists()
    assert Note.objects.filter(pk=old_note.pk).exists()
    assert _deletion_records() == set()


def test_retention_purges_the_audit_log_after_its_own_period(short_retention: None) -> None:
    old = _old_event(days=366)
    kept = _old_event(days=364)

    deleted = _run_retention()

    assert deleted == {"audit_event": 1}
    assert not AuditEvent.objects.filter(pk=old.pk).exists()
    assert AuditEvent.objects.filter(pk=kept.pk).exists()


def test_running_retention_twice_deletes_nothing_more(
    personas: Personas, short_retention: None
) -> None:
    _concern_without_case(personas, "Test-Gammel Bekymring", days_ago=31)
    emma = _case("Demo-Emma Eksempeldatter")
    _closed_days_ago(emma, 61, by=personas.consultant)
    going = _going_with(emma)
    first = _run_retention()
    records = set(DeletionRecord.objects.values_list("pk", flat=True))
    remaining = (Case.objects.count(), Concern.objects.count(), YoungPerson.objects.count())

    second = _run_retention()

    assert first == {"case": 1, "concern": 2, "young_person": 2, "audit_event": 0, **going}
    assert second == {"audit_event": 0}
    assert set(DeletionRecord.objects.values_list("pk", flat=True)) == records
    assert (Case.objects.count(), Concern.objects.count(), YoungPerson.objects.count()) == remaining


def _meeting_of(body: Body, personas: Personas):  # type: ignore[no-untyped-def]
    starts_at = timezone.now() + timedelta(days=1)
    return meeting_services.meeting_create(
        body=body,
        organiser=personas.consultant,
        title="Opfølgningsmøde",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
        notify=False,
    )


def test_an_ad_hoc_group_with_meetings_stays_when_its_case_goes(
    personas: Personas, short_retention: None
) -> None:
    amalie = _case("Demo-Amalie Tænktsen")
    group = amalie.adhoc_group
    assert group is not None
    _meeting_of(group, personas)
    _closed_days_ago(amalie, 61, by=personas.consultant)
    old = _concern_without_case(personas, "Test-Gammel Bekymring", days_ago=31)
    going = _going_with(amalie)

    deleted = _run_retention()

    assert deleted == {"case": 1, "concern": 2, "young_person": 2, "audit_event": 0, **going}
    assert not Case.objects.filter(pk=amalie.pk).exists()
    assert not Concern.objects.filter(pk=old.pk).exists(), "the job stopped at the group"
    assert Body.objects.filter(pk=group.pk).exists()


def test_a_case_on_a_meeting_agenda_is_erased_and_the_meeting_keeps_the_item(
    personas: Personas, short_retention: None
) -> None:
    emma, mikkel = _case("Demo-Emma Eksempeldatter"), _case("Demo-Mikkel Eksempelsen")
    meeting = _meeting_of(Body.objects.get(name="Mandagsgruppen (§115)"), personas)
    item = meeting_services.agenda_item_add(
        meeting=meeting,
        by=personas.consultant,
        title="Status på sagen",
        case=emma,
        purpose="Afklare om sagen kan lukkes helt.",
        criteria=ALL_CRITERIA,
    )
    _closed_days_ago(emma, 61, by=personas.consultant)
    _closed_days_ago(mikkel, 61, by=personas.consultant)
    going = _going_with(emma, mikkel)

    first = _run_retention()
    second = _run_retention()

    assert first == {"case": 2, "concern": 2, "young_person": 2, "audit_event": 0, **going}
    assert second == {"audit_event": 0}
    assert not Case.objects.filter(pk__in=[emma.pk, mikkel.pk]).exists()
    item.refresh_from_db()
    assert (item.case_id, item.title, item.purpose, item.meeting_id) == (None, "", "", meeting.pk)
    assert item.case_erased_at is not None
    assert {r for r in _deletion_records() if r[0] == "case"} == {
        ("case", emma.pk, _glostrup().pk),
        ("case", mikkel.pk, _glostrup().pk),
    }
    assert DeletionRecord.objects.get(record_type="agendaitem").record_id == item.pk


# --- Expiry of shares -----------------------------------------------------------------------


def test_an_expired_share_stops_granting_access(client: Client, personas: Personas) -> None:
    mikkel = _case("Demo-Mikkel Eksempelsen")
    share = services.case_share(
        case=mikkel,
        by=personas.consultant,
        purpose="Politiet deltager i næste møde.",
        criteria=ALL_CRITERIA,
        user=personas.police2,
        expires_at=timezone.now() + timedelta(days=1),
    )
    client.force_login(personas.police2)
    assert client.get(f"/sager/{mikkel.pk}/").status_code == 200
    expired_at = timezone.now() - timedelta(minutes=1)
    Basis.objects.filter(pk=share.pk).update(expires_at=expired_at)

    ended = expire_shares.apply().get()

    assert ended == 1
    assert client.get(f"/sager/{mikkel.pk}/").status_code == 404
    share.refresh_from_db()
    assert (share.ended_at, share.ended_by) == (expired_at, None)
    assert CaseEvent.objects.filter(case=mikkel, kind=CaseEventKind.EXPIRED).count() == 1
    assert expire_shares.apply().get() == 0, "a second run ended the share again"
