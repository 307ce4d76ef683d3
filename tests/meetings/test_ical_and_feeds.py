"""iCalendar out of the system: the .ics download of a meeting, the personal secret feed, and
the promise that no young person's name reaches a calendar or an email."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from cases.models import Case
from cases.services import SHARE_CRITERIA
from forum.models import Body, Person
from meetings import services
from meetings.models import CalendarFeed, Meeting
from ssp.models import User
from tests.personas import Personas

pytestmark = pytest.mark.django_db

FEED_URL = re.compile(r'value="http://testserver(/kalender/[^"]+\.ics)"')
# The young person whose name must never leave the system by calendar or email.
YOUNG_PERSON = "Demo-Jonas Fiktivsen"


def _at(days: int, hour: int = 10) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _plan(organiser: User, body: str, *, days: int = 7, title: str = "Møde", **kw) -> Meeting:
    return services.meeting_create(
        body=Body.objects.get(name=body, municipality__code="161"),
        organiser=organiser,
        title=title,
        starts_at=_at(days, 10),
        ends_at=_at(days, 12),
        notify=False,
        **kw,
    )


def _events(content: bytes) -> dict[str, object]:
    """The events of a calendar by UID."""
    return {str(e["UID"]): e for e in Calendar.from_ical(content).walk("VEVENT")}


def _uid(meeting: Meeting) -> str:
    return f"{meeting.uid}@ssp-samarbejde"


def _demo_uids() -> set[str]:
    """The seeded demo meetings; a feed may list some of them besides a test's own."""
    return {_uid(m) for m in Meeting.objects.all()}


def _invited(user: User, uids: set[str]) -> set[str]:
    """Which of these calendar UIDs are meetings the user is invited to."""
    meetings = Meeting.objects.filter(participants__person__user=user)
    return {uid for uid in uids if meetings.filter(uid=uid.split("@")[0]).exists()}


def _new_feed(client: Client, user: User) -> str:
    """Make a feed link on the calendar page, as the user; returns the feed's path."""
    client.force_login(user)
    response = client.post("/kalender/", {"action": "create"})
    assert response.status_code == 200
    (path,) = FEED_URL.findall(response.content.decode())
    client.logout()
    return path


# The .ics download --------------------------------------------------------------------------


def test_the_ics_download_carries_uid_sequence_utc_times_and_the_body(
    client: Client, personas: Personas
) -> None:
    meeting = _plan(personas.leader, "SSP-team Vestervang", title="Teammøde")
    meeting = services.meeting_update(
        meeting=meeting, title="Teammøde", starts_at=_at(8, 9), ends_at=_at(8, 11)
    )
    client.force_login(personas.police)

    response = client.get(f"/moeder/{meeting.pk}/moede.ics")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="moede-{meeting.pk}.ics"'
    calendar = Calendar.from_ical(response.content)
    assert calendar["METHOD"] == "PUBLISH"
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == _uid(meeting)
    assert event["SEQUENCE"] == 1
    start = event["DTSTART"].dt
    assert start.utcoffset() == timedelta(0)
    assert start == _at(8, 9).astimezone(UTC)
    assert event["DTEND"].dt == _at(8, 11)
    assert str(event["SUMMARY"]) == "Teammøde (SSP-team Vestervang)"
    assert str(event["STATUS"]) == "CONFIRMED"
    attendees = {str(a) for a in event["ATTENDEE"]}
    assert "mailto:politi@demo.ssp" in attendees
    assert len(attendees) == 6


def test_the_ics_of_a_meeting_the_user_cannot_see_answers_404(
    client: Client, personas: Personas
) -> None:
    meeting = _plan(personas.consultant, "Mandagsgruppen (§115)")
    client.force_login(personas.leader)

    assert client.get(f"/moeder/{meeting.pk}/moede.ics").status_code == 404


# The personal feed --------------------------------------------------------------------------


def test_a_new_feed_link_is_shown_once_and_lists_the_users_own_meetings_without_login(
    client: Client, personas: Personas
) -> None:
    demo = _demo_uids()
    team = _plan(personas.leader, "SSP-team Vestervang")
    monday = _plan(personas.consultant, "Mandagsgruppen (§115)", days=8)
    cancelled = services.meeting_cancel(
        meeting=_plan(personas.consultant, "Mandagsgruppen (§115)", days=15), reason="Ferie"
    )
    # The consultant may see Nordvang's meeting but is not invited: not in the feed.
    _plan(personas.consultant, "SSP-team Nordvang")
    # Far beyond the feed's reach.
    _plan(personas.consultant, "Mandagsgruppen (§115)", days=500)
    path = _new_feed(client, personas.consultant)

    response = Client().get(path)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    events = _events(response.content)
    assert set(events) - demo == {_uid(team), _uid(monday), _uid(cancelled)}
    assert _invited(personas.consultant, set(events)) == set(events)
    assert str(events[_uid(cancelled)]["STATUS"]) == "CANCELLED"
    assert str(events[_uid(monday)]["SUMMARY"]) == "Møde (Mandagsgruppen (§115))"
    # The page shows the link only the once.
    client.force_login(personas.consultant)
    page = client.get("/kalender/").content.decode()
    assert FEED_URL.findall(page) == []
    assert "Du har et aktivt kalenderlink." in page


def test_the_feed_stores_only_a_hash_of_the_token(client: Client, personas: Personas) -> None:
    path = _new_feed(client, personas.police)
    token = path.removeprefix("/kalender/").removesuffix(".ics")

    feed = CalendarFeed.objects.get(user=personas.police, revoked_at__isnull=True)

    assert feed.token_hash == CalendarFeed.hash_token(token)
    assert token not in feed.token_hash


def test_an_invalid_token_answers_404(client: Client, personas: Personas) -> None:
    _new_feed(client, personas.police)

    assert client.get("/kalender/ikke-et-rigtigt-token.ics").status_code == 404


def test_a_revoked_feed_answers_404(client: Client, personas: Personas) -> None:
    path = _new_feed(client, personas.police)
    client.force_login(personas.police)

    response = client.post("/kalender/", {"action": "revoke"})

    assert response.status_code == 302
    assert Client().get(path).status_code == 404
    assert "Du har ikke noget kalenderlink endnu." in client.get("/kalender/").content.decode()


def test_a_new_link_replaces_the_old_one(client: Client, personas: Personas) -> None:
    old = _new_feed(client, personas.police)

    new = _new_feed(client, personas.police)

    assert new != old
    assert Client().get(old).status_code == 404
    assert Client().get(new).status_code == 200
    assert CalendarFeed.objects.filter(user=personas.police, revoked_at__isnull=True).count() == 1


def test_a_deactivated_users_feed_answers_404(client: Client, personas: Personas) -> None:
    path = _new_feed(client, personas.police)
    assert Client().get(path).status_code == 200

    personas.police.is_active = False
    personas.police.save(update_fields=["is_active"])

    assert Client().get(path).status_code == 404


def test_another_users_feed_shows_only_their_meetings(client: Client, personas: Personas) -> None:
    demo = _demo_uids()
    team = _plan(personas.leader, "SSP-team Vestervang")
    _plan(personas.consultant, "Mandagsgruppen (§115)")
    path = _new_feed(client, personas.club)

    events = set(_events(Client().get(path).content))

    assert events - demo == {_uid(team)}
    assert _invited(personas.club, events) == events


# No names in calendars or emails --------------------------------------------------------------


def _unfolded(content: bytes | str) -> str:
    """iCalendar folds long lines; a name split over two lines must still be found."""
    text = content.decode() if isinstance(content, bytes) else content
    return text.replace("\r\n ", "").replace("\n ", "")


def _email_texts(message: mail.EmailMultiAlternatives) -> list[str]:
    texts = [message.subject, message.body]
    texts += [_unfolded(content) for content, _mimetype in message.alternatives]
    texts += [_unfolded(content) for _name, content, _mimetype in message.attachments]
    return texts


def _leaks(texts: list[str]) -> list[str]:
    words = (YOUNG_PERSON, "Jonas", "Fiktivsen")
    return [word for word in words for text in texts if word in text]


def test_a_young_persons_name_on_the_agenda_reaches_no_feed_ics_or_email(
    client: Client, personas: Personas, django_capture_on_commit_callbacks
) -> None:
    meeting = _plan(personas.consultant, "Mandagsgruppen (§115)", title="Mandagsmøde")
    services.agenda_item_add(
        meeting=meeting,
        by=personas.consultant,
        title=f"{YOUNG_PERSON}: hash på skolen",
        description="Jonas Fiktivsen sælger til yngre elever.",
        case=Case.objects.get(young_person__full_name=YOUNG_PERSON),
        purpose="Fælles indsats for Jonas",
        criteria=dict.fromkeys(SHARE_CRITERIA, True),
    )
    # Positive control: the organiser's meeting page does show the name.
    client.force_login(personas.consultant)
    assert YOUNG_PERSON in client.get(f"/moeder/{meeting.pk}/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        services.guest_add(meeting=meeting, person=Person.objects.get(full_name="Henrik Holm"))
        meeting = services.meeting_update(
            meeting=meeting, title="Mandagsmøde", starts_at=_at(9, 13), ends_at=_at(9, 15)
        )
        services.meeting_cancel(meeting=meeting, reason="Ferie")
    kinds = {message.subject.split(":")[1].strip() for message in mail.outbox}
    assert kinds == {"Invitation", "Mødet er ændret", "Mødet er aflyst"}
    ics = client.get(f"/moeder/{meeting.pk}/moede.ics")
    feed = Client().get(_new_feed(client, personas.consultant))
    assert (ics.status_code, feed.status_code) == (200, 200)
    assert _uid(meeting) in _events(feed.content)

    for message in mail.outbox:
        leaks = _leaks(_email_texts(message))
        assert leaks == [], f"LEAK: {leaks} in the email {message.subject!r} to {message.to}"
    assert _leaks([_unfolded(ics.content)]) == [], "LEAK: a young person's name in the .ics"
    assert _leaks([_unfolded(feed.content)]) == [], "LEAK: a young person's name in the feed"
