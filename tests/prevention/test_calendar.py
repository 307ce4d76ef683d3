"""The personal calendar feed carries the year wheel's activities (from the prevention app,
through `meetings.hooks`): one event per activity with a stable UID, SEQUENCE raised on every
change, nothing but title, body, date and link, and only for the bodies the user sits in."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from meetings import services as meeting_services
from prevention import services
from prevention.models import Activity, ActivityKind
from prevention.services import ActivityData
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def _events(client: Client, token: str) -> dict[str, dict]:
    response = client.get(f"/kalender/{token}.ics")
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    return {
        str(event["uid"]): {
            "sequence": int(event["sequence"]),
            "summary": str(event["summary"]),
            "description": str(event.get("description", "")),
            "start": event.decoded("dtstart"),
        }
        for event in calendar.walk("VEVENT")
    }


def _wheel_activity() -> Activity:
    """A coming activity of SSP-team Nordvang's year wheel (social and police2 sit there)."""
    activity = (
        Activity.objects.filter(plan__body__name="SSP-team Nordvang").order_by("planned_on").last()
    )
    assert activity is not None
    Activity.objects.filter(pk=activity.pk).update(
        planned_on=timezone.localdate() + timedelta(days=20)
    )
    activity.refresh_from_db()
    return activity


def test_the_feed_carries_the_year_wheel_and_follows_its_changes(
    client: Client, personas: Personas
) -> None:
    activity = _wheel_activity()
    token = meeting_services.feed_create(user=personas.social)
    uid = f"activity-{activity.uid}@ssp-samarbejde"
    title, day = activity.title, activity.planned_on

    before = _events(client, token)
    services.activity_update(
        activity=activity,
        by=personas.consultant,
        data=ActivityData(
            kind=ActivityKind.TEACHING,
            title="Digital dannelse – flyttet",
            planned_on=day + timedelta(days=2),
        ),
    )
    after = _events(client, token)

    assert before[uid]["sequence"] == 0
    assert before[uid]["summary"] == f"{title} (SSP-team Nordvang)"
    assert before[uid]["start"] == day
    assert after[uid]["sequence"] == 1, "a changed activity must raise SEQUENCE"
    assert after[uid]["summary"] == "Digital dannelse – flyttet (SSP-team Nordvang)"
    assert after[uid]["start"] == day + timedelta(days=2)
    assert after[uid]["description"].endswith(f"/forebyggelse/aktivitet/{activity.pk}/")
    # The meetings are still there beside it.
    assert any(not key.startswith("activity-") for key in after)


def test_the_feed_holds_only_the_wheels_of_the_users_bodies_and_no_logs(
    client: Client, personas: Personas
) -> None:
    activity = _wheel_activity()
    services.street_round_log(
        body=activity.body,
        by=personas.social,
        planned_on=timezone.localdate(),
        time_of_day=None,
        place="Stationen",
        young_people=4,
    )
    club = _events(client, meeting_services.feed_create(user=personas.club))
    social = _events(client, meeting_services.feed_create(user=personas.social))

    assert f"activity-{activity.uid}@ssp-samarbejde" not in club, "Nordvang's wheel in club's feed"
    assert f"activity-{activity.uid}@ssp-samarbejde" in social
    assert not any("Gadeplan" in event["summary"] for event in social.values())
