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

__all__ = [
    "ActivityData",
    "activity_create",
    "activity_mark_done",
    "activity_plan_approve",
    "activity_update",
    "counselling_log",
    "plan_approve",
    "plan_create",
    "project_create",
    "project_update",
    "street_round_log",
    "year_wheel_add",
]
