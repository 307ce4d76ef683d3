"""The §115 basis a case item gives the meeting's body follows the meeting: moved, it lasts until
`AGENDA_BASIS_DAYS` after the new date; cancelled, it ends at once, unless another meeting's
item still relies on it. Seen from the police officer in SSP-team Vestervang, who reads a new
case of the §115 group only through that basis."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from cases.models import Basis, BasisEndReason, BasisOrigin, Case, CaseEvent, CaseEventKind
from cases.permissions import cases_visible_to
from cases.services import SHARE_CRITERIA
from forum.models import Body
from meetings import services
from meetings.models import AgendaItem, Meeting
from ssp.models import AuditAction, AuditEvent
from tests.factories import CaseFactory
from tests.personas import Personas

pytestmark = pytest.mark.django_db

CASE_NAME = "Test-Agenda Ungsen"
ALL_CRITERIA = dict.fromkeys(SHARE_CRITERIA, True)


def _at(days: int, hour: int = 10) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _team_meeting(personas: Personas, days: int) -> Meeting:
    return services.meeting_create(
        body=Body.objects.get(name="SSP-team Vestervang", municipality__code="161"),
        organiser=personas.leader,
        title=f"Teammøde om {days} dage",
        starts_at=_at(days, 10),
        ends_at=_at(days, 12),
        notify=False,
    )


@pytest.fixture(autouse=True)
def monday_case(personas: Personas) -> Case:
    """A case of the §115 group with no basis: the officer does not read it."""
    return CaseFactory(
        municipality=Body.objects.get(name="SSP-team Vestervang").municipality,
        young_person__full_name=CASE_NAME,
        responsible_body=Body.objects.get(name="Mandagsgruppen (§115)", municipality__code="161"),
        opened_by=personas.consultant,
    )


def _put_on(meeting: Meeting, personas: Personas) -> AgendaItem:
    return services.agenda_item_add(
        meeting=meeting,
        by=personas.consultant,
        title="Koordinering",
        case=Case.objects.get(young_person__full_name=CASE_NAME),
        purpose="Koordinere indsatsen omkring skolestart",
        criteria=ALL_CRITERIA,
    )


def _police_reads(personas: Personas) -> bool:
    case = Case.objects.get(young_person__full_name=CASE_NAME)
    return cases_visible_to(personas.police).filter(pk=case.pk).exists()


def _until(meeting: Meeting) -> datetime:
    return meeting.ends_at + timedelta(days=settings.AGENDA_BASIS_DAYS)


def test_the_police_officer_reads_the_case_only_while_its_meeting_stands(
    personas: Personas,
) -> None:
    assert not _police_reads(personas), "the officer must not read the case before the item"
    meeting = _team_meeting(personas, days=7)
    item = _put_on(meeting, personas)
    assert _police_reads(personas)

    services.meeting_cancel(meeting=meeting, reason="Skolen holder lukket", by=personas.leader)

    assert not _police_reads(personas), "LEAK: a cancelled meeting still opens the case"
    basis = Basis.objects.get(pk=item.basis_id)
    assert (basis.end_reason, basis.ended_by) == (BasisEndReason.REVOKED, personas.leader)
    assert AuditEvent.objects.filter(
        action=AuditAction.REVOKE, object_id=str(basis.case_id), user_id=personas.leader.pk
    ).exists()


def test_a_moved_meeting_moves_the_end_of_the_access_with_it(personas: Personas) -> None:
    meeting = _team_meeting(personas, days=7)
    item = _put_on(meeting, personas)
    assert Basis.objects.get(pk=item.basis_id).expires_at == _until(meeting)

    later = services.meeting_update(
        meeting=meeting,
        title=meeting.title,
        starts_at=_at(40, 10),
        ends_at=_at(40, 12),
        by=personas.leader,
    )

    basis = Basis.objects.get(pk=item.basis_id)
    assert basis.expires_at == _until(later)
    assert basis.ended_at is None
    assert CaseEvent.objects.filter(
        case=basis.case, kind=CaseEventKind.BASIS, text__contains="adgangen udløber nu"
    ).exists()
    assert AuditEvent.objects.filter(
        action=AuditAction.UPDATE, object_id=str(basis.case_id), user_id=personas.leader.pk
    ).exists()

    earlier = services.meeting_update(
        meeting=later,
        title=meeting.title,
        starts_at=_at(2, 10),
        ends_at=_at(2, 12),
        by=personas.leader,
    )

    assert Basis.objects.get(pk=item.basis_id).expires_at == _until(earlier)
    assert _police_reads(personas)


def test_cancelling_one_meeting_keeps_the_access_another_meeting_relies_on(
    personas: Personas,
) -> None:
    first = _team_meeting(personas, days=7)
    second = _team_meeting(personas, days=21)
    first_item = _put_on(first, personas)
    second_item = _put_on(second, personas)
    # The second item lengthens the basis to its own meeting; both items rely on it.
    assert first_item.basis_id == second_item.basis_id
    assert Basis.objects.get(pk=first_item.basis_id).origin == BasisOrigin.AGENDA_ITEM
    assert Basis.objects.get(pk=first_item.basis_id).expires_at == _until(second)

    services.meeting_cancel(meeting=second, reason="Flyttes", by=personas.leader)

    basis = Basis.objects.get(pk=first_item.basis_id)
    assert basis.ended_at is None
    assert basis.expires_at == _until(first), "the access shrinks to the meeting still standing"
    assert _police_reads(personas)
