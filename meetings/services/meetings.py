"""Planning a single meeting: create, move, cancel, guests, answers and attendance.

Each service runs in one transaction, checks its own rules (the views check who may call
it), and tells participants by email after the transaction commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.models import Body, Person
from meetings import notifications, reminders
from meetings.models import Meeting, MeetingKind, MeetingStatus, Participant, Rsvp
from meetings.services._common import check_guest, check_open, invite, participants_of
from meetings.services.agenda import agenda_bases_follow_meeting
from ssp.models import User


def _check_times(starts_at: datetime, ends_at: datetime) -> None:
    errors: dict[str, list[str]] = {}
    if ends_at <= starts_at:
        errors["ends_at"] = [_("Mødet skal slutte efter, det begynder.")]
    if starts_at < timezone.now():
        errors["starts_at"] = [_("Mødet kan ikke ligge i fortiden.")]
    elif ends_at - starts_at > timedelta(hours=24):
        errors["ends_at"] = [_("Et møde kan højst vare et døgn.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def meeting_create(
    *,
    body: Body,
    organiser: User,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    location: str = "",
    online_url: str = "",
    kind: str = MeetingKind.REGULAR,
    guests: Iterable[Person] = (),
    notify: bool = True,
) -> Meeting:
    """Plan a meeting of a body: its members and the guests are invited, and the body's
    standing items open the agenda."""
    _check_times(starts_at, ends_at)
    meeting = Meeting.objects.create(
        body=body,
        organiser=organiser,
        title=title.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        location=location.strip(),
        online_url=online_url,
        kind=kind,
    )
    invite(meeting, guests)
    reminders.sync_meeting(meeting)
    if notify:
        notifications.meeting_changed(meeting, participants_of(meeting))
    return meeting


@transaction.atomic
def meeting_update(
    *,
    meeting: Meeting,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    location: str = "",
    online_url: str = "",
    by: User | None = None,
    notify: bool = True,
) -> Meeting:
    """Change or move a meeting; participants get the updated invitation (unless the caller
    tells them itself, as an edited year plan does in one email). The access its case items
    gave the body follows the new date (`agenda_bases_follow_meeting`)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    check_open(meeting)
    moved = (starts_at, ends_at) != (meeting.starts_at, meeting.ends_at)
    if moved:
        _check_times(starts_at, ends_at)
    elif meeting.ends_at < timezone.now():
        raise ValidationError(_("Mødet er holdt og kan ikke ændres."))
    meeting.title = title.strip()
    meeting.starts_at = starts_at
    meeting.ends_at = ends_at
    meeting.location = location.strip()
    meeting.online_url = online_url
    meeting.sequence = F("sequence") + 1
    meeting.save()
    meeting.refresh_from_db()
    reminders.sync_meeting(meeting)
    if moved:
        agenda_bases_follow_meeting(meeting=meeting, by=by)
    if notify:
        notifications.meeting_changed(meeting, participants_of(meeting))
    return meeting


@transaction.atomic
def meeting_cancel(
    *, meeting: Meeting, reason: str, by: User | None = None, notify: bool = True
) -> Meeting:
    """Cancel a meeting; participants are told (unless the caller tells them itself). The
    access its case items gave the body ends, unless another meeting's items still rely on it
    (`agenda_bases_follow_meeting`)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    check_open(meeting)
    if meeting.ends_at < timezone.now():
        raise ValidationError(_("Mødet er holdt og kan ikke aflyses."))
    if not reason.strip():
        raise ValidationError({"reason": [_("Skriv, hvorfor mødet aflyses.")]})
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancel_reason = reason.strip()
    meeting.sequence = F("sequence") + 1
    meeting.save()
    meeting.refresh_from_db()
    reminders.sync_meeting(meeting)
    agenda_bases_follow_meeting(meeting=meeting, by=by)
    if notify:
        notifications.meeting_cancelled(meeting, participants_of(meeting))
    return meeting


@transaction.atomic
def guest_add(*, meeting: Meeting, person: Person) -> Participant:
    check_open(meeting)
    check_guest(meeting, person)
    if meeting.participants.filter(person=person).exists():
        raise ValidationError({"person": [_("Personen er allerede inviteret.")]})
    participant = Participant.objects.create(meeting=meeting, person=person, is_guest=True)
    reminders.sync_meeting(meeting)
    notifications.meeting_changed(meeting, [participant])
    return participant


@transaction.atomic
def rsvp_set(*, meeting: Meeting, user: User, answer: str) -> Participant:
    """A participant answers whether they come."""
    if answer not in Rsvp.values:
        raise ValidationError({"rsvp": [_("Vælg et svar.")]})
    if meeting.is_cancelled:
        raise ValidationError(_("Mødet er aflyst; der er ikke noget at svare på."))
    if meeting.ends_at < timezone.now():
        raise ValidationError(_("Mødet er holdt; det er for sent at svare."))
    participant = meeting.participants.filter(person__user=user).first()
    if participant is None:
        raise ValidationError(_("Du er ikke inviteret til mødet."))
    participant.rsvp = answer
    participant.rsvp_at = timezone.now()
    participant.save(update_fields=["rsvp", "rsvp_at"])
    reminders.sync_meeting(meeting)
    return participant


@transaction.atomic
def attendance_record(*, meeting: Meeting, present: Iterable[int]) -> int:
    """Take attendance: `present` are the ids of the participants who came. Returns how many
    came."""
    if meeting.is_cancelled:
        raise ValidationError(_("Mødet er aflyst."))
    if meeting.starts_at > timezone.now() + timedelta(hours=1):
        raise ValidationError(_("Fremmøde registreres, når mødet holdes."))
    present = set(present)
    unknown = present - set(meeting.participants.values_list("pk", flat=True))
    if unknown:
        raise ValidationError(_("Kun mødets deltagere kan registreres som mødt."))
    meeting.participants.exclude(pk__in=present).update(attended=False)
    return meeting.participants.filter(pk__in=present).update(attended=True)
