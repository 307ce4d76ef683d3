"""iCalendar for meetings: downloads, invitations and personal feeds.

An event carries the meeting's title, body, time, place and a link, never its agenda: no
young person's name reaches a calendar. The UID is the meeting's and SEQUENCE rises with
every change, so Outlook and Google update an invitation in place.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC
from email.utils import parseaddr

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from meetings.models import Meeting, Participant

PRODID = "-//SSP-samarbejde//Møder//DA"


def _uid(meeting: Meeting) -> str:
    return f"{meeting.uid}@ssp-samarbejde"


def meeting_event(
    meeting: Meeting, *, participants: Iterable[Participant] = (), cancelled: bool = False
) -> Event:
    event = Event()
    event.add("uid", _uid(meeting))
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", timezone.now().astimezone(UTC))
    event.add("dtstart", meeting.starts_at.astimezone(UTC))
    event.add("dtend", meeting.ends_at.astimezone(UTC))
    event.add("summary", f"{meeting.title} ({meeting.body.name})")
    url = f"{settings.SSP_BASE_URL}{meeting.get_absolute_url()}"
    event.add("url", url)
    description = [url]
    if meeting.online_url:
        description.append(meeting.online_url)
    event.add("description", "\n".join(description))
    if meeting.location:
        event.add("location", meeting.location)
    cancelled = cancelled or meeting.is_cancelled
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    # The app sends every invitation, so it is the organiser calendars see; answers are
    # given in the app. One fixed address keeps updates matching the first invitation.
    organiser = vCalAddress(f"mailto:{parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}")
    organiser.params["cn"] = vText(meeting.organiser.full_name or settings.SSP_SITE_NAME)
    event.add("organizer", organiser)
    for participant in participants:
        email = participant_email(participant)
        if not email:
            continue
        attendee = vCalAddress(f"mailto:{email}")
        attendee.params["cn"] = vText(participant.person.full_name)
        attendee.params["role"] = vText(
            "OPT-PARTICIPANT" if participant.is_guest else "REQ-PARTICIPANT"
        )
        event.add("attendee", attendee, encode=0)
    return event


def participant_email(participant: Participant) -> str:
    """Where a participant's invitations go: their login's address, or an external contact's
    work address. A deactivated login gets nothing."""
    person = participant.person
    if person.user_id:
        return person.user.email if person.user.is_active else ""
    return person.email


def calendar(events: Iterable[Event], *, method: str | None = None, name: str = "") -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    if method:
        cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
    for event in events:
        cal.add_component(event)
    return cal.to_ical()
