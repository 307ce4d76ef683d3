"""Hostile strings in every meeting form: planning a meeting or a series, editing and
cancelling it, the agenda, standing items, minutes (sanitised with nh3 on input), decisions,
the school year's planning meeting and year plan, the activity plan's approval, reminder
settings, and the statistics filters (GET). The machinery is in tests/fuzzing.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from forum.models import Body
from meetings import services
from meetings.models import (
    AgendaItem,
    Decision,
    Meeting,
    MeetingSeries,
    SchoolYearPlan,
    StandingAgendaItem,
    school_year_of,
)
from prevention.models import Activity
from tests.fuzzing import FUZZ_SETTINGS, Endpoint, Refused, Text, post_and_check, sign_in
from tests.meetings.minutes_helpers import hold_first_monday_meeting, item_titled
from tests.personas import Personas

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class World:
    team: Body  # SSP-team Vestervang, chaired by the leader
    meeting: Meeting  # its next meeting, organised by the leader
    held: Meeting  # the §115 group's meeting, held yesterday, managed by the consultant
    next_school_year: int
    january: Meeting  # SSP-Følgen's meeting that approves the activity plan


def _world(personas: Personas) -> World:
    team = Body.objects.get(name="SSP-team Vestervang", municipality__code="161")
    day = timezone.localdate() + timedelta(days=7)
    meeting = services.meeting_create(
        body=team,
        organiser=personas.leader,
        title="Teammøde",
        starts_at=timezone.make_aware(datetime.combine(day, time(10))),
        ends_at=timezone.make_aware(datetime.combine(day, time(12))),
        notify=False,
    )
    return World(
        team=team,
        meeting=meeting,
        held=hold_first_monday_meeting(),
        next_school_year=school_year_of(timezone.localdate()) + 1,
        january=Meeting.objects.get(body__name="SSP-Følgen"),
    )


def _days(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def _latest(model: Any, **filters: Any) -> Any:
    return model.objects.filter(**filters).latest("pk")


def _title_and_location(meeting: Meeting | MeetingSeries) -> dict[str, str]:
    return {"title": meeting.title, "location": meeting.location}


MEETING_TIMES = {"start_time": "10:00", "end_time": "12:00"}
TITLE_AND_LOCATION = {"title": Text(200), "location": Text(300, required=False)}


def _year_plan_data(world: World) -> dict[str, Any]:
    """A valid plan, once the September planning meeting is held (scheduled here, inside the
    example's transaction, so the planning meeting's own form still meets an empty year)."""
    september = date(world.next_school_year, 9, 15)
    services.planning_meeting_schedule(
        body=world.team,
        organiser=world.meeting.organiser,
        title="Planlægningsmøde",
        starts_at=timezone.make_aware(datetime.combine(september, time(10))),
        ends_at=timezone.make_aware(datetime.combine(september, time(12))),
    )
    first, _last = services.school_year_bounds(world.next_school_year)
    return {
        "first_date": (first + timedelta(days=14)).isoformat(),
        "last_date": date(world.next_school_year + 1, 6, 15).isoformat(),
        "interval_weeks": "6",
        **MEETING_TIMES,
        "activities-TOTAL_FORMS": "1",
        "activities-INITIAL_FORMS": "0",
        "activities-MIN_NUM_FORMS": "0",
        "activities-MAX_NUM_FORMS": "40",
        "activities-0-kind": "theme_day",
        "activities-0-title": "Trivselsdag",
        "activities-0-planned_on": (first + timedelta(days=30)).isoformat(),
    }


def _nordvang_plan(world: World) -> SchoolYearPlan:
    """The demo's plan of SSP-team Nordvang for this school year."""
    return SchoolYearPlan.objects.select_related("series").get(body__name="SSP-team Nordvang")


def _year_plan_edit_data(world: World) -> dict[str, Any]:
    plan = _nordvang_plan(world)
    return {
        "next_date": services.next_series_date(plan).isoformat(),
        "last_date": plan.series.last_date.isoformat(),
        "interval_weeks": str(plan.series.interval_weeks),
        "start_time": "14:00",
        "end_time": "15:30",
    }


ENDPOINTS = [
    Endpoint(
        "meeting_create",
        "leader",
        lambda world: f"/moeder/organ/{world.team.pk}/nyt/",
        fields=TITLE_AND_LOCATION,
        base=lambda world: {"date": _days(8), **MEETING_TIMES},
        stored=lambda world: _title_and_location(_latest(Meeting)),
        rows=lambda world: Meeting.objects.count(),
    ),
    Endpoint(
        "meeting_create_with_hostile_times_and_link",
        "leader",
        lambda world: f"/moeder/organ/{world.team.pk}/nyt/",
        fields={"date": Refused(), "end_time": Refused(), "online_url": Refused()},
        base=lambda world: {"title": "Møde", "start_time": "10:00"},
    ),
    Endpoint(
        "meeting_edit",
        "leader",
        lambda world: f"/moeder/{world.meeting.pk}/rediger/",
        fields=TITLE_AND_LOCATION,
        base=lambda world: {"date": _days(7), **MEETING_TIMES},
        stored=lambda world: _title_and_location(Meeting.objects.get(pk=world.meeting.pk)),
    ),
    Endpoint(
        "meeting_cancel",
        "leader",
        lambda world: f"/moeder/{world.meeting.pk}/aflys/",
        fields={"reason": Text(500)},
        stored=lambda world: {"reason": Meeting.objects.get(pk=world.meeting.pk).cancel_reason},
    ),
    Endpoint(
        "agenda_item_add",
        "leader",
        lambda world: f"/moeder/{world.meeting.pk}/dagsorden/",
        fields={
            "title": Text(200),
            "description": Text(4000, required=False, multiline=True),
            "purpose": Text(500, required=False),
        },
        stored=lambda world: (
            lambda item: {
                "title": item.title,
                "description": item.description,
                "purpose": item.purpose,
            }
        )(_latest(AgendaItem, meeting=world.meeting)),
        rows=lambda world: AgendaItem.objects.count(),
    ),
    Endpoint(
        "agenda_item_add_with_a_hostile_case",
        "leader",
        lambda world: f"/moeder/{world.meeting.pk}/dagsorden/",
        fields={"case": Refused()},
        base=lambda world: {"title": "Sag"},
    ),
    Endpoint(
        "standing_item_add",
        "leader",
        lambda world: f"/moeder/organ/{world.team.pk}/faste-punkter/",
        fields={"title": Text(200)},
        stored=lambda world: {"title": _latest(StandingAgendaItem, body=world.team).title},
        rows=lambda world: StandingAgendaItem.objects.count(),
    ),
    Endpoint(
        "series_create",
        "leader",
        lambda world: f"/moeder/organ/{world.team.pk}/serie/",
        fields=TITLE_AND_LOCATION,
        base=lambda world: {
            "first_date": _days(7),
            "last_date": _days(35),
            "interval_weeks": "2",
            "skip_holidays": "on",
            **MEETING_TIMES,
        },
        stored=lambda world: _title_and_location(_latest(MeetingSeries)),
        rows=lambda world: MeetingSeries.objects.count(),
    ),
    Endpoint(
        "series_create_with_hostile_dates_and_interval",
        "leader",
        lambda world: f"/moeder/organ/{world.team.pk}/serie/",
        fields={"first_date": Refused(), "interval_weeks": Refused()},
        base=lambda world: {"title": "Serie", **MEETING_TIMES},
    ),
    Endpoint(
        "minutes_edit",
        "consultant",
        lambda world: f"/moeder/{world.held.pk}/referat/",
        fields={"minutes": Text(20_000, required=False, multiline=True)},
        posted_names=lambda world: {
            "minutes": f"item_{item_titled(world.held, 'SSP siden sidst').pk}"
        },
        stored=lambda world: {"minutes": item_titled(world.held, "SSP siden sidst").minutes},
        sanitised=frozenset({"minutes"}),
    ),
    Endpoint(
        "decision_add",
        "consultant",
        lambda world: (
            f"/moeder/{world.held.pk}/dagsorden/"
            f"{item_titled(world.held, 'SSP siden sidst').pk}/beslutning/"
        ),
        fields={"text": Text(1000, multiline=True)},
        stored=lambda world: {"text": _latest(Decision).text},
        rows=lambda world: Decision.objects.count(),
    ),
    Endpoint(
        "planning_meeting_create",
        "leader",
        lambda world: (
            f"/moeder/organ/{world.team.pk}/aarsplan/{world.next_school_year}/planlaegningsmoede/"
        ),
        fields=TITLE_AND_LOCATION,
        base=lambda world: {"date": f"{world.next_school_year}-09-15", **MEETING_TIMES},
        stored=lambda world: _title_and_location(_latest(Meeting)),
        rows=lambda world: Meeting.objects.count(),
    ),
    Endpoint(
        "year_plan_create",
        "leader",
        lambda world: f"/moeder/organ/{world.team.pk}/aarsplan/{world.next_school_year}/ny/",
        fields={**TITLE_AND_LOCATION, "activities-0-grade": Text(50, required=False)},
        base=_year_plan_data,
        stored=lambda world: {
            **_title_and_location(_latest(MeetingSeries)),
            "activities-0-grade": _latest(Activity).grade,
        },
        rows=lambda world: MeetingSeries.objects.count(),
    ),
    Endpoint(
        "year_plan_edit",
        "consultant",
        lambda world: (
            f"/moeder/organ/{_nordvang_plan(world).body_id}/aarsplan/"
            f"{_nordvang_plan(world).school_year}/ret/"
        ),
        fields=TITLE_AND_LOCATION,
        base=_year_plan_edit_data,
        stored=lambda world: _title_and_location(_nordvang_plan(world).series),
    ),
    Endpoint(
        "reminder_settings",
        "police",
        lambda world: "/moeder/paamindelser/",
        fields={"meeting_offsets": Refused(), "quiet_from": Refused()},
        base=lambda world: {"quiet_until": "07:00"},
    ),
    Endpoint(
        "statistics_filters",
        "consultant",
        lambda world: f"/statistik/{world.team.municipality_id}/",
        method="GET",
        fields={"fra": Refused(), "kategori": Refused(), "skole": Refused()},
    ),
]


@pytest.fixture
def world(personas: Personas) -> World:
    return _world(personas)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
@FUZZ_SETTINGS
@given(data=st.data())
def test_hostile_input_is_refused_or_stored_as_typed_and_never_rendered_live(
    client: Client, personas: Personas, world: World, endpoint: Endpoint, data: st.DataObject
) -> None:
    sign_in(client, personas, endpoint)
    post_and_check(client, endpoint, world, data.draw(endpoint.values()))
