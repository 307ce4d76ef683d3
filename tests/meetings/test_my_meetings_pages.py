""" "Mine møder" a page of upcoming meetings at a time (issue 18): soonest first, "Næste" and
"Forrige" by keyset, so a consultant invited to every meeting of a large municipality pays
for one page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from forum.models import Body
from meetings import permissions, selectors, services
from meetings.models import Meeting, Participant
from ssp.pagination import keyset_page
from tests.factories import MeetingFactory
from tests.personas import PERSONA_NAMES, Personas

pytestmark = pytest.mark.django_db

UPCOMING = re.compile(r"<h2>Kommende møder</h2>(.*?)<h2>", re.DOTALL)


def _rows(response) -> list[int]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.status_code
    section = UPCOMING.search(response.content.decode())
    assert section, "no Kommende møder section"
    return [int(pk) for pk in re.findall(r'href="/moeder/(\d+)/"', section.group(1))]


def _link(response, rel: str) -> str | None:  # type: ignore[no-untyped-def]
    found = re.search(rf'href="(\?[^"]*)" rel="{rel}"', response.content.decode())
    return "/moeder/" + found.group(1).replace("&amp;", "&") if found else None


def _meetings(personas: Personas, count: int) -> None:
    team = Body.objects.get(name="SSP-team Vestervang")
    soon = (timezone.localtime() + timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
    for number in range(count):
        # Every third meeting starts at the same time as the one before (ties by id).
        starts = soon + timedelta(hours=number - number // 3)
        MeetingFactory(
            body=team,
            organiser=personas.leader,
            title=f"Sidemøde {number:02}",
            starts_at=starts,
            ends_at=starts + timedelta(hours=1),
        )


def test_next_and_previous_walk_every_upcoming_meeting_once_soonest_first(
    client: Client, personas: Personas
) -> None:
    _meetings(personas, 55)
    client.force_login(personas.leader)
    expected = list(selectors.upcoming_meetings(personas.leader).values_list("pk", flat=True))
    assert len(expected) >= 55

    pages, address, response = [], "/moeder/", None
    while address:
        response = client.get(address)
        pages.append(_rows(response))
        address = _link(response, "next")

    assert [pk for page in pages for pk in page] == expected
    assert all(len(page) == 25 for page in pages[:-1])
    back = _link(response, "prev")
    assert back is not None
    assert _rows(client.get(back)) == pages[-2]
    assert "Seneste møder" in response.content.decode(), "the rest of the page stays"


def test_a_mangled_meetings_address_shows_the_first_page(
    client: Client, personas: Personas
) -> None:
    _meetings(personas, 30)
    client.force_login(personas.leader)
    first = _rows(client.get("/moeder/"))
    assert len(first) == 25
    for junk in (
        "efter=x",
        "efter=2026-01-01~abc",
        "foer=~~",
        "efter=2026-01-01T00:00~5",
        "efter=2026-01-01T00:00:00%2B00:00~99999999999999999999",
    ):
        response = client.get(f"/moeder/?{junk}")
        assert _rows(response) == first, junk
        assert "Side 1" in response.content.decode(), junk


def test_the_invitations_follow_their_meeting_when_it_moves(personas: Personas) -> None:
    _meetings(personas, 3)
    meeting = Meeting.objects.get(title="Sidemøde 00")
    later = meeting.starts_at + timedelta(days=30)

    services.meeting_update(
        meeting=meeting,
        title=meeting.title,
        starts_at=later,
        ends_at=later + timedelta(hours=1),
        notify=False,
    )

    times = set(Participant.objects.filter(meeting=meeting).values_list("starts_at", flat=True))
    assert times == {later}
    # However a meeting moves (here a queryset update), its invitations move with it.
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=later + timedelta(hours=2), ends_at=later + timedelta(hours=3)
    )
    times = set(Participant.objects.filter(meeting=meeting).values_list("starts_at", flat=True))
    assert times == {later + timedelta(hours=2)}
    by_invitations = keyset_page(
        selectors.upcoming_parts(personas.leader), order=selectors.UPCOMING_ORDER, per_page=500
    ).object_list
    by_rule = list(selectors.upcoming_meetings(personas.leader).values_list("pk", flat=True))
    assert by_invitations == by_rule
    assert by_rule.index(meeting.pk) > by_rule.index(Meeting.objects.get(title="Sidemøde 02").pk)


def test_the_latest_meetings_are_the_users_past_meetings_newest_first(
    personas: Personas,
) -> None:
    team = Body.objects.get(name="SSP-team Vestervang")
    meetings = []
    for days in (3, 2, 1):
        meeting = MeetingFactory(body=team, organiser=personas.leader, title=f"Holdt {days}")
        Meeting.objects.filter(pk=meeting.pk).update(
            starts_at=timezone.now() - timedelta(days=days),
            ends_at=timezone.now() - timedelta(days=days) + timedelta(hours=1),
        )
        meetings.append(meeting.pk)

    people = selectors.people_of(personas.leader)
    ids = selectors.past_meeting_ids(personas.leader, limit=2, people=people)
    (past,) = selectors.invitation_rows(people, ids)

    assert [meeting.pk for meeting in past] == [meetings[2], meetings[1]]


def test_the_front_page_lists_the_five_soonest_meetings(client: Client, personas: Personas) -> None:
    _meetings(personas, 7)
    client.force_login(personas.leader)
    soonest = list(selectors.upcoming_meetings(personas.leader)[:5])

    page = client.get("/").content.decode()

    section = page.split("Mine næste møder", 1)[1].split("</ul>", 1)[0]
    shown = [int(pk) for pk in re.findall(r'href="/moeder/(\d+)/"', section)]
    assert shown == [meeting.pk for meeting in soonest]


def test_the_invitations_rows_are_the_meetings_the_rule_shows_for_every_persona(
    personas: Personas,
) -> None:
    """`invitation_rows` reads the page's meetings as the user's invitations instead of
    through `meetings_visible_to`: for every persona, every meeting they are invited to (past
    and upcoming), in the page's order, is one the rule shows them."""
    _meetings(personas, 3)
    for name in PERSONA_NAMES:
        user = personas[name]
        people = selectors.people_of(user)
        invited = list(
            Participant.objects.filter(person_id__in=people)
            .order_by("starts_at", "meeting_id")
            .values_list("meeting_id", flat=True)
            .distinct()
        )
        (rows,) = selectors.invitation_rows(people, invited)
        visible = set(
            permissions.meetings_visible_to(user)
            .filter(pk__in=invited)
            .values_list("pk", flat=True)
        )
        assert [meeting.pk for meeting in rows] == invited, name
        assert set(invited) <= visible, name
    # And nobody else's invitations: another person's meetings are left out.
    (rows,) = selectors.invitation_rows(selectors.people_of(personas.outsider), invited)
    assert rows == []
