"""The rules of `meetings.permissions` that the views ask, persona by persona: who may tick
off a follow-up task, which agenda items answer 404 because they are redacted, and which year
plan activities a user reaches. The URL tables prove the views ask them; these pin the rules.

The §115 group's first meeting (see `minutes_helpers`): the consultant chairs it, police and
social are members, the club worker is a guest who may not see the case on its agenda."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.http import Http404

from meetings import permissions, selectors
from meetings.models import Task
from tests.meetings.minutes_helpers import (
    CASE_ITEM,
    hold_first_monday_meeting,
    item_titled,
    write_case_minutes,
)
from tests.personas import PERSONA_NAMES, Personas

pytestmark = pytest.mark.django_db

HIDDEN = "404"


def _answer(rule: Callable[..., object], *args: object) -> object:
    """What the rule returns, or HIDDEN when it answers 404."""
    try:
        return rule(*args)
    except Http404:
        return HIDDEN


def test_who_may_tick_off_a_task(personas: Personas) -> None:
    held = hold_first_monday_meeting()
    item = write_case_minutes(held, personas)
    pk = Task.objects.get(decision__item=item).pk

    def close(name: str) -> object:
        user = personas[name]
        task = permissions.task_for_user_or_404(user, pk)
        return permissions.can_close_task(user, task)

    answers = {name: _answer(close, name) for name in PERSONA_NAMES}
    assert answers == {
        "consultant": True,  # chairs the group: manages the meeting
        "police": True,  # responsible for the task
        "social": False,  # a member who sees the meeting but does not manage it
        "club": False,  # a guest
        "admin": True,  # administers the body
        "leader": HIDDEN,
        "police2": HIDDEN,
        "neighbour": HIDDEN,
        "outsider": HIDDEN,
    }


def test_a_redacted_agenda_item_answers_404(personas: Personas) -> None:
    held = hold_first_monday_meeting()
    case_item = item_titled(held, CASE_ITEM)
    standing = item_titled(held, "SSP siden sidst")
    for name in ("consultant", "police", "social", "club"):
        user = personas[name]
        redacted = {i.pk for i in selectors.agenda(held, user) if i.redacted}
        for item in (case_item, standing):
            answer = _answer(permissions.agenda_item_for_user_or_404, user, held, item.pk)
            expected = HIDDEN if item.pk in redacted else item
            assert answer == expected, f"{name} reaches {item.title!r}: {answer!r}"
    assert case_item.pk in {i.pk for i in selectors.agenda(held, personas.club) if i.redacted}
