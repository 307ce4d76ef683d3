"""What the meetings app asks of the prevention work above it, without knowing about it.

A school team's year plan is its meeting series (here) and the activities of its year wheel
(`prevention.Activity`); a personal calendar feed carries the user's meetings (here) and the
activities of the bodies they work in. `meetings` sits below `prevention` (import-linter), so
the prevention app registers both answers from its `AppConfig.ready` (`prevention/hooks.py`),
as the cases app answers `forum.access`.

Without a registered year wheel a plan with activities is refused rather than saved without
them: nothing the planner typed is dropped silently.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from icalendar import Event

    from meetings.models import SchoolYearPlan
    from ssp.models import User


class YearWheel(Protocol):
    """The activities of the school teams' year plans, kept by the prevention app."""

    def add(self, *, plan: SchoolYearPlan, activities: Sequence[Any], by: User) -> None:
        """Store the planned activities (`services.NewActivity`) of a new year plan."""

    def of_plan(self, plan: SchoolYearPlan) -> Sequence[Any]:
        """The plan's activities, in date order, for the year plan page."""

    def counts(self, plan_ids: Iterable[int]) -> dict[int, tuple[int, int]]:
        """Per plan: (activities, of which done), from one query."""

    def edit_url(self, plan: SchoolYearPlan) -> str:
        """The page where the plan's organisers move its coming activities."""


# `events(user, start, end)`: calendar events for the user's feed between two moments.
CalendarSource = Callable[["User", datetime, datetime], Iterable["Event"]]

_YEAR_WHEEL: list[YearWheel] = []
_CALENDAR_SOURCES: list[CalendarSource] = []


def year_wheel_register(wheel: YearWheel) -> None:
    _YEAR_WHEEL[:] = [wheel]


def year_wheel() -> YearWheel:
    if not _YEAR_WHEEL:
        raise ImproperlyConfigured("No app keeps the year wheel's activities (prevention).")
    return _YEAR_WHEEL[0]


def calendar_source_register(source: CalendarSource) -> None:
    """Add events of another app to the personal calendar feeds (called from `ready`)."""
    if source not in _CALENDAR_SOURCES:
        _CALENDAR_SOURCES.append(source)


def calendar_events(user: User, start: datetime, end: datetime) -> list[Event]:
    return [event for source in _CALENDAR_SOURCES for event in source(user, start, end)]
