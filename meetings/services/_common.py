"""Rules and steps that several of the meeting services share. Private to this package."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils.translation import gettext as _

from forum.models import Body, Membership, Person
from meetings.models import AgendaItem, Meeting, Participant
from ssp.audit import audit_log
from ssp.models import AuditAction, User


def check_open(meeting: Meeting) -> None:
    if meeting.is_cancelled:
        raise ValidationError(_("Mødet er aflyst og kan ikke ændres."))
    if meeting.minutes_approved:
        raise ValidationError(_("Mødets referat er godkendt, så mødet kan ikke ændres."))


def members_of(body: Body) -> list[Person]:
    return [m.person for m in Membership.objects.filter(body=body).select_related("person")]


def participants_of(meeting: Meeting) -> list[Participant]:
    return list(meeting.participants.select_related("person", "person__user"))


def invite(meeting: Meeting, guests: Iterable[Person]) -> None:
    members = members_of(meeting.body)
    member_ids = {p.pk for p in members}
    guests = [g for g in guests if g.pk not in member_ids]
    for guest in guests:
        check_guest(meeting, guest)
    Participant.objects.bulk_create(
        [Participant(meeting=meeting, person=p) for p in members]
        + [Participant(meeting=meeting, person=p, is_guest=True) for p in guests]
    )
    AgendaItem.objects.bulk_create(
        [
            AgendaItem(
                meeting=meeting, position=index, title=item.title, created_by=meeting.organiser
            )
            for index, item in enumerate(meeting.body.standing_items.all(), start=1)
        ]
    )


def check_guest(meeting: Meeting, person: Person) -> None:
    body = meeting.body
    if body.municipality_id is not None:
        if person.municipality_id != body.municipality_id:
            raise ValidationError({"person": [_("Gæsten skal høre til organets kommune.")]})
    elif person.municipality.police_district_id != body.police_district_id:
        raise ValidationError({"person": [_("Gæsten skal høre til politikredsens kommuner.")]})


def log_case_write(
    *, by: User | None, action: AuditAction, obj: Model, item: AgendaItem, purpose: str = ""
) -> None:
    """A write on or under an agenda item about a case (the item, its minutes, a decision, a
    task, an attachment) writes the young person's data: logged against them and the case's
    municipality. Items about no case write no one's."""
    if item.case_id is None:
        return
    case = item.case
    audit_log(
        user=by,
        action=action,
        obj=obj,
        subject_id=case.young_person_id,
        municipality_id=case.municipality_id,
        purpose=purpose,
    )
