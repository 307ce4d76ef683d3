"""A date no meeting has (year 9999, a typo for this year; or 1850) is refused by the meeting
forms with a Danish message naming the range, never a 500 and never a half-saved meeting."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from forum.models import Body
from meetings import services
from meetings.models import Decision, Meeting, MeetingSeries
from ssp.models import OutgoingEmail
from tests.meetings.minutes_helpers import hold_first_monday_meeting, item_titled
from tests.personas import Personas

pytestmark = pytest.mark.django_db

RANGE_MESSAGE = "Skriv en dato fra 01.01.2000 til 31.12.2100."
TIMES = {"start_time": "10:00", "end_time": "12:00"}


def _team() -> Body:
    return Body.objects.get(name="SSP-team Vestervang", municipality__code="161")


def _soon(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def _meeting(personas: Personas) -> Meeting:
    day = timezone.localdate() + timedelta(days=7)
    return services.meeting_create(
        body=_team(),
        organiser=personas.leader,
        title="Teammøde",
        starts_at=timezone.make_aware(datetime.combine(day, time(10))),
        ends_at=timezone.make_aware(datetime.combine(day, time(12))),
        notify=False,
    )


def _decision_url(personas: Personas) -> str:
    held = hold_first_monday_meeting()
    return f"/moeder/{held.pk}/dagsorden/{item_titled(held, 'SSP siden sidst').pk}/beslutning/"


# (persona, url, the posted form with `{day}` where the date goes, rows it would add)
PAGES: dict[str, tuple[str, Callable[[Personas], str], dict[str, str], Callable[[], Any]]] = {
    "meeting_create": (
        "leader",
        lambda personas: f"/moeder/organ/{_team().pk}/nyt/",
        {"title": "Teammøde", "date": "{day}", **TIMES},
        lambda: Meeting.objects.count(),
    ),
    "meeting_edit": (
        "leader",
        lambda personas: f"/moeder/{_meeting(personas).pk}/rediger/",
        {"title": "Teammøde", "date": "{day}", **TIMES},
        lambda: list(Meeting.objects.values_list("starts_at", flat=True).order_by("pk")),
    ),
    "series_first_date": (
        "leader",
        lambda personas: f"/moeder/organ/{_team().pk}/serie/",
        {"title": "Serie", "first_date": "{day}", "interval_weeks": "2", **TIMES},
        lambda: MeetingSeries.objects.count(),
    ),
    "series_last_date": (
        "leader",
        lambda personas: f"/moeder/organ/{_team().pk}/serie/",
        {
            "title": "Serie",
            "first_date": _soon(7),
            "last_date": "{day}",
            "interval_weeks": "2",
            **TIMES,
        },
        lambda: MeetingSeries.objects.count(),
    ),
    "decision_task_deadline": (
        "consultant",
        _decision_url,
        {"text": "Vi følger op.", "task_title": "Ring til skolen", "due_on": "{day}"},
        lambda: Decision.objects.count(),
    ),
}


@pytest.mark.parametrize("day", ["9999-12-31", "1850-01-01"])
@pytest.mark.parametrize("page", PAGES, ids=str)
def test_a_date_out_of_range_is_refused_with_the_range_and_nothing_is_saved(
    client: Client, personas: Personas, page: str, day: str
) -> None:
    persona, url_of, form, rows = PAGES[page]
    url = url_of(personas)
    client.force_login(personas[persona])
    before = (rows(), OutgoingEmail.objects.count())

    response = client.post(url, {name: value.format(day=day) for name, value in form.items()})

    assert response.status_code == 422, f"{page} on {day} answered {response.status_code}"
    assert RANGE_MESSAGE in response.content.decode(), f"{page} on {day} did not say why"
    assert (rows(), OutgoingEmail.objects.count()) == before, f"{page} on {day} saved anyway"


def test_the_date_picker_is_told_the_range(client: Client, personas: Personas) -> None:
    client.force_login(personas.leader)

    page = client.get(f"/moeder/organ/{_team().pk}/nyt/").content.decode()

    assert 'min="2000-01-01"' in page
    assert 'max="2100-12-31"' in page
