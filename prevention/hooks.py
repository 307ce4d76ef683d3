"""What the prevention app tells the meetings app below it (`meetings.hooks`): it keeps the
activities of the school teams' year wheels, and adds the activities to the calendar feeds."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.urls import reverse
from icalendar import Event

from meetings import hooks
from meetings.models import SchoolYearPlan
from prevention import ical, selectors, services
from prevention.models import Activity
from ssp.models import User


class YearWheel:
    """`meetings.hooks.YearWheel`, answered from `prevention.Activity`."""

    def add(self, *, plan: SchoolYearPlan, activities: Sequence[Any], by: User) -> None:
        services.year_wheel_add(plan=plan, activities=activities, by=by)

    def of_plan(self, plan: SchoolYearPlan) -> Sequence[Activity]:
        return selectors.plan_activities(plan)

    def counts(self, plan_ids: Iterable[int]) -> dict[int, tuple[int, int]]:
        return selectors.plan_counts(list(plan_ids))

    def edit_url(self, plan: SchoolYearPlan) -> str:
        return reverse("prevention:year_wheel_edit", args=[plan.body_id, plan.school_year])


def calendar_events(user: User, start: datetime, end: datetime) -> list[Event]:
    return [ical.activity_event(a) for a in selectors.feed_activities(user, start, end)]


def register() -> None:
    hooks.year_wheel_register(YearWheel())
    hooks.calendar_source_register(calendar_events)
