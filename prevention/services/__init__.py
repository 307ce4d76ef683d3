"""Every write of the prevention app, split by sub-domain: activities (with the street-level
log, the counselling log and the year wheel) and projects with annual plans."""

from prevention.services.activities import (
    ActivityData,
    activity_create,
    activity_mark_done,
    activity_update,
    counselling_log,
    street_round_log,
    year_wheel_add,
)
from prevention.services.plans import (
    activity_plan_approve,
    plan_approve,
    plan_create,
    project_create,
    project_update,
)
from prevention.services.year_wheel import (
    ActivityPlanning,
    coming_activities,
    year_plan_activities_update,
)

__all__ = [
    "ActivityData",
    "ActivityPlanning",
    "activity_create",
    "activity_mark_done",
    "activity_plan_approve",
    "activity_update",
    "coming_activities",
    "counselling_log",
    "plan_approve",
    "plan_create",
    "project_create",
    "project_update",
    "street_round_log",
    "year_plan_activities_update",
    "year_wheel_add",
]
