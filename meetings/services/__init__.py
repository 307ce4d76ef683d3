"""Every write to meetings, agendas, series, the school year, minutes, attachments and
calendar feeds, one module per sub-domain. Callers import the package
(`from meetings import services; services.meeting_create(...)`): the modules are how the
code is organised, not part of the interface.

Each service runs in one transaction, checks its own rules (the views check who may call
it), and tells participants by email after the transaction commits.
"""

from meetings.dates import danish_holidays, school_year_bounds, series_dates
from meetings.services.agenda import (
    agenda_item_add,
    agenda_item_move,
    agenda_item_remove,
    standing_item_add,
    standing_item_remove,
)
from meetings.services.attachments import (
    attachment_add,
    attachment_remove,
)
from meetings.services.feeds import feed_create, feed_revoke
from meetings.services.meetings import (
    attendance_record,
    guest_add,
    meeting_cancel,
    meeting_create,
    meeting_update,
    rsvp_set,
)
from meetings.services.minutes import decision_add, minutes_approve, minutes_write, task_mark_done
from meetings.services.school_year import (
    MIN_YEAR_PLAN_MEETINGS,
    PLANNING_MONTH,
    Busy,
    NewActivity,
    member_conflicts,
    minimum_meetings,
    planning_meeting_of,
    planning_meeting_schedule,
    school_year_span,
    september_passed,
    year_plan_create,
)
from meetings.services.series import (
    MAX_PLANNED_AHEAD,
    series_create,
    series_end,
    series_extend,
    series_horizon,
)
from meetings.services.year_plan_edit import (
    PlanChanges,
    next_series_date,
    year_plan_meetings_update,
)

__all__ = [
    "MAX_PLANNED_AHEAD",
    "MIN_YEAR_PLAN_MEETINGS",
    "PLANNING_MONTH",
    "Busy",
    "NewActivity",
    "PlanChanges",
    "agenda_item_add",
    "agenda_item_move",
    "agenda_item_remove",
    "attachment_add",
    "attachment_remove",
    "attendance_record",
    "danish_holidays",
    "decision_add",
    "feed_create",
    "feed_revoke",
    "guest_add",
    "meeting_cancel",
    "meeting_create",
    "meeting_update",
    "member_conflicts",
    "minimum_meetings",
    "minutes_approve",
    "minutes_write",
    "next_series_date",
    "planning_meeting_of",
    "planning_meeting_schedule",
    "rsvp_set",
    "school_year_bounds",
    "school_year_span",
    "september_passed",
    "series_create",
    "series_dates",
    "series_end",
    "series_extend",
    "series_horizon",
    "standing_item_add",
    "standing_item_remove",
    "task_mark_done",
    "year_plan_create",
    "year_plan_meetings_update",
]
