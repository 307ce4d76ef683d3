"""Editing a school team's year plan after it was laid: its coming meetings.

The team's meetings are the plan's series. An edit re-lays the rhythm from the next meeting
(its date, the interval, the last date, the time, title and place); meetings already held
stay as they were, since their minutes are the team's record. A meeting that stays keeps its
calendar UID and its SEQUENCE rises (`meeting_update`), a date the new rhythm drops is
cancelled (`meeting_cancel`), a date it adds is a new meeting of the series
(`series_extend`), so calendars and feeds update in place. The participants hear of it in one
email about the plan (`notifications.year_plan_changed`), not one per meeting.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings import notifications
from meetings.dates import school_year_bounds, series_dates
from meetings.models import Meeting, MeetingSeries, MeetingStatus, SchoolYearPlan
from meetings.services.meetings import meeting_cancel, meeting_update
from meetings.services.school_year import school_year_span
from meetings.services.series import series_extend
from ssp.models import User


@dataclass
class PlanChanges:
    """What an edit did to the plan's meetings."""

    changed: list[Meeting] = field(default_factory=list)
    added: list[Meeting] = field(default_factory=list)
    cancelled: list[Meeting] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.changed or self.added or self.cancelled)


def _aware(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


def upcoming_meetings(plan: SchoolYearPlan) -> list[Meeting]:
    """The plan's meetings an edit may still change: planned and not begun."""
    if plan.series_id is None:
        return []
    return list(
        plan.series.meetings.filter(
            status=MeetingStatus.PLANNED,
            starts_at__gt=timezone.now(),
            minutes_approved_at__isnull=True,
        ).order_by("starts_at")
    )


def next_series_date(plan: SchoolYearPlan) -> date | None:
    """The series date of the plan's next meeting, where an edit starts its rhythm."""
    upcoming = upcoming_meetings(plan)
    return upcoming[0].series_date if upcoming else None


def _check(
    plan: SchoolYearPlan,
    *,
    next_date: date,
    last_date: date,
    interval_weeks: int,
    start_time: time,
    end_time: time,
) -> None:
    today = timezone.localdate()
    first, last = school_year_bounds(plan.school_year)
    if last < today:
        raise ValidationError(
            _("Skoleåret %(year)s er slut, så planen kan ikke længere ændres.")
            % {"year": plan.school_year_label}
        )
    outside = _("Datoen skal ligge i skoleåret %(year)s (%(span)s).") % {
        "year": plan.school_year_label,
        "span": school_year_span(plan.school_year),
    }
    errors: dict[str, list[str]] = {}
    if end_time <= start_time:
        errors["end_time"] = [_("Møderne skal slutte efter, de begynder.")]
    if _aware(next_date, start_time) <= timezone.now():
        errors["next_date"] = [_("Det næste møde kan ikke ligge i fortiden.")]
    elif not first <= next_date <= last:
        errors["next_date"] = [outside]
    if not first <= last_date <= last:
        errors["last_date"] = [outside]
    elif last_date < next_date:
        errors["last_date"] = [_("Sidste dato skal ligge efter det næste møde.")]
    if not 1 <= interval_weeks <= 52:
        errors["interval_weeks"] = [_("Vælg et interval mellem 1 og 52 uger.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def year_plan_meetings_update(
    *,
    plan: SchoolYearPlan,
    by: User,
    title: str,
    next_date: date,
    last_date: date,
    interval_weeks: int,
    start_time: time,
    end_time: time,
    location: str = "",
) -> PlanChanges:
    """Change the plan's coming meetings (see the module's docstring). Only what the edit
    changes is applied to a meeting that stays: a meeting moved on its own keeps its day
    unless its date leaves the rhythm, and its time unless the plan's time changes."""
    plan = (
        SchoolYearPlan.objects.select_for_update(of=("self",))
        .select_related("body", "series")
        .get(pk=plan.pk)
    )
    if plan.series_id is None:
        raise ValidationError(_("Planen har ingen møder at ændre."))
    _check(
        plan,
        next_date=next_date,
        last_date=last_date,
        interval_weeks=interval_weeks,
        start_time=start_time,
        end_time=end_time,
    )
    series = MeetingSeries.objects.select_for_update().get(pk=plan.series_id)
    old_title, old_location = series.title, series.location
    old_times = (series.start_time, series.end_time)
    series.title = title.strip()
    series.location = location.strip()
    series.start_time, series.end_time = start_time, end_time
    # The rhythm counts from the next meeting; held meetings keep the dates they had.
    series.first_date = next_date
    series.last_date = last_date
    series.interval_weeks = interval_weeks
    series.save(
        update_fields=[
            "title",
            "location",
            "start_time",
            "end_time",
            "first_date",
            "last_date",
            "interval_weeks",
        ]
    )
    wanted = set(series_dates(series, last_date))
    changes = PlanChanges()
    for meeting in upcoming_meetings(plan):
        if meeting.series_date not in wanted:
            changes.cancelled.append(
                meeting_cancel(
                    meeting=meeting, reason=_("Årsplanen er ændret."), by=by, notify=False
                )
            )
            continue
        day = timezone.localdate(meeting.starts_at)
        starts_at, ends_at = meeting.starts_at, meeting.ends_at
        if (start_time, end_time) != old_times:
            starts_at, ends_at = _aware(day, start_time), _aware(day, end_time)
        new = {
            "title": series.title if series.title != old_title else meeting.title,
            "location": series.location if series.location != old_location else meeting.location,
            "starts_at": starts_at,
            "ends_at": ends_at,
        }
        if new != {name: getattr(meeting, name) for name in new}:
            changes.changed.append(
                meeting_update(
                    meeting=meeting,
                    online_url=meeting.online_url,
                    by=by,
                    notify=False,
                    **new,
                )
            )
    changes.added = series_extend(series, notify=False)
    if changes:
        plan.changed_at = timezone.now()
        plan.changed_by = by
        plan.save(update_fields=["changed_at", "changed_by"])
        notifications.year_plan_changed(
            plan,
            changed=changes.changed + changes.added,
            cancelled=changes.cancelled,
        )
    return changes
