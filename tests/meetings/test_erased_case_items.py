"""A meeting after one of its cases was erased: the item stays on the agenda with a neutral
placeholder for everyone, its decisions and tasks read the same, and a task of an erased case
is no longer on anyone's front page or reminded of. (The full erasure test is
tests/cases/test_erasure.py.)"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from cases import services as case_services
from cases.models import Case
from home.selectors import open_tasks
from meetings import reminders, services
from meetings.models import AgendaItem, Meeting
from ssp.models import Reminder
from ssp.notify.reminders import schedule_daily
from tests.meetings.minutes_helpers import (
    CASE_DECISION,
    CASE_ITEM,
    JONAS,
    REDACTED,
    glostrup_person,
    hold_first_monday_meeting,
    item_titled,
)
from tests.personas import Personas

pytestmark = pytest.mark.django_db

PLACEHOLDER = "Sag slettet efter reglerne om opbevaring og sletning"


@pytest.fixture
def held(personas: Personas) -> tuple[Meeting, AgendaItem]:
    """The §115 group's meeting held yesterday, with a decision and a task due tomorrow on
    Jonas's case item; then Jonas's case is erased on request."""
    meeting = hold_first_monday_meeting()
    item = item_titled(meeting, CASE_ITEM)
    services.decision_add(
        item=item,
        by=personas.consultant,
        text=CASE_DECISION,
        task_title="Bekymringssamtale",
        responsible=glostrup_person("politi@demo.ssp"),
        due_on=timezone.localdate() + timedelta(days=1),
    )
    assert [task.title for task in open_tasks(personas.police)] == ["Bekymringssamtale"]
    case_services.case_erase(
        case=Case.objects.get(young_person__full_name=JONAS),
        by=personas.admin,
        reason="Anmodning om sletning.",
    )
    item.refresh_from_db()
    return meeting, item


@pytest.mark.parametrize("persona", ["consultant", "police", "club"])
def test_every_participant_sees_the_placeholder_where_the_case_was(
    client: Client, personas: Personas, held: tuple[Meeting, AgendaItem], persona: str
) -> None:
    meeting, _item = held
    client.force_login(personas[persona])

    page = client.get(f"/moeder/{meeting.pk}/")

    assert page.status_code == 200
    html = page.content.decode()
    # The item and its decision; the task's title only where it is listed with the decision.
    assert html.count(PLACEHOLDER) == 3
    assert REDACTED not in html, "nothing is left to redact"
    for secret in (JONAS, CASE_ITEM, CASE_DECISION, "Bekymringssamtale"):
        assert secret not in html, f"LEAK: {secret!r} survived the erasure"


def test_the_decision_page_of_an_erased_item_names_the_placeholder(
    client: Client, personas: Personas, held: tuple[Meeting, AgendaItem]
) -> None:
    meeting, item = held
    client.force_login(personas.consultant)

    page = client.get(f"/moeder/{meeting.pk}/dagsorden/{item.pk}/beslutning/")

    assert page.status_code == 200
    assert f"Beslutning under »{PLACEHOLDER}«" in page.content.decode()


def test_a_task_of_an_erased_case_is_neither_listed_nor_reminded_of(
    personas: Personas, held: tuple[Meeting, AgendaItem]
) -> None:
    schedule_daily(timezone.localdate())

    assert list(open_tasks(personas.police)) == []
    assert not Reminder.objects.filter(object_type=reminders.TASK_TYPE).exists()
