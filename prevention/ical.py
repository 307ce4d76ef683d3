"""An activity as a calendar event in the personal feeds (`meetings.hooks`).

An all-day event (or one hour from its time of day), titled with the activity and its body,
with a link and nothing else: no reach, no description. The UID is the activity's own and
SEQUENCE rises with every change, so a calendar updates the entry in place.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.utils import timezone
from icalendar import Event

from prevention.models import Activity

EVENT_LENGTH = timedelta(hours=1)


def uid(activity: Activity) -> str:
    return f"activity-{activity.uid}@ssp-samarbejde"


def activity_event(activity: Activity) -> Event:
    event = Event()
    event.add("uid", uid(activity))
    event.add("sequence", activity.sequence)
    event.add("dtstamp", timezone.now().astimezone(UTC))
    if activity.time_of_day is None:
        event.add("dtstart", activity.planned_on)
        event.add("dtend", activity.planned_on + timedelta(days=1))
        event.add("transp", "TRANSPARENT")
    else:
        starts = timezone.make_aware(datetime.combine(activity.planned_on, activity.time_of_day))
        event.add("dtstart", starts.astimezone(UTC))
        event.add("dtend", (starts + EVENT_LENGTH).astimezone(UTC))
    event.add("summary", f"{activity.title} ({activity.body.name})")
    url = f"{settings.SSP_BASE_URL}{activity.get_absolute_url()}"
    event.add("url", url)
    event.add("description", url)
    if activity.place:
        event.add("location", activity.place)
    event.add("status", "CONFIRMED")
    return event
