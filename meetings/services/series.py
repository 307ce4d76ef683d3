"""Recurring meeting series: created, extended to the planning horizon, ended."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.models import Body
from meetings import notifications, reminders
from meetings.dates import series_dates
from meetings.models import Meeting, MeetingSeries, MeetingStatus
from meetings.services._common import invite
from meetings.services.meetings import meeting_cancel
from ssp.models import User


def _aware(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


@transaction.atomic
def series_create(
    *,
    body: Body,
    organiser: User,
    title: str,
    first_date: date,
    start_time: time,
    end_time: time,
    interval_weeks: int = 1,
    last_date: date | None = None,
    location: str = "",
    online_url: str = "",
    skip_holidays: bool = True,
    notify: bool = True,
) -> MeetingSeries:
    errors: dict[str, list[str]] = {}
    if end_time <= start_time:
        errors["end_time"] = [_("Møderne skal slutte efter, de begynder.")]
    if _aware(first_date, start_time) < timezone.now():
        errors["first_date"] = [_("Serien kan ikke begynde i fortiden.")]
    elif first_date > timezone.localdate() + MAX_PLANNED_AHEAD:
        errors["first_date"] = [_("Serien kan højst begynde halvandet år frem.")]
    if last_date is not None and last_date < first_date:
        errors["last_date"] = [_("Sidste dato skal ligge efter første dato.")]
    if not 1 <= interval_weeks <= 52:
        errors["interval_weeks"] = [_("Vælg et interval mellem 1 og 52 uger.")]
    if errors:
        raise ValidationError(errors)
    series = MeetingSeries.objects.create(
        body=body,
        organiser=organiser,
        title=title.strip(),
        first_date=first_date,
        last_date=last_date,
        interval_weeks=interval_weeks,
        start_time=start_time,
        end_time=end_time,
        location=location.strip(),
        online_url=online_url,
        skip_holidays=skip_holidays,
    )
    if not series_extend(series, notify=notify):
        raise ValidationError(
            {"first_date": [_("Serien giver ingen møder: alle datoer er helligdage.")]}
        )
    return series


# A series with a last date (a school year's, say) is planned to its end, at most this far.
MAX_PLANNED_AHEAD = timedelta(days=550)


def series_horizon() -> date:
    return timezone.localdate() + timedelta(days=settings.MEETING_SERIES_HORIZON_DAYS)


def _generate_until(series: MeetingSeries) -> date:
    if series.last_date is None:
        return series_horizon()
    return min(series.last_date, timezone.localdate() + MAX_PLANNED_AHEAD)


@transaction.atomic
def series_extend(
    series: MeetingSeries, until: date | None = None, *, notify: bool = True
) -> list[Meeting]:
    """Generate the series' occurrences that do not exist yet, up to the horizon, and invite
    the body's members to them. Occurrences already there (moved or cancelled ones included)
    are left as they are."""
    if series.ended_at is not None:
        return []
    until = until or _generate_until(series)
    existing = set(series.meetings.values_list("series_date", flat=True))
    now = timezone.now()
    created = []
    for day in series_dates(series, until):
        starts_at = _aware(day, series.start_time)
        if day in existing or starts_at < now:
            continue
        meeting = Meeting.objects.create(
            body=series.body,
            organiser=series.organiser,
            series=series,
            series_date=day,
            title=series.title,
            starts_at=starts_at,
            ends_at=_aware(day, series.end_time),
            location=series.location,
            online_url=series.online_url,
        )
        invite(meeting, ())
        reminders.sync_meeting(meeting)
        created.append(meeting)
    if notify:
        notifications.series_planned(series, created)
    return created


@transaction.atomic
def series_end(*, series: MeetingSeries, after: date) -> int:
    """End a series: its occurrences after `after` are cancelled, and no more are made."""
    series = MeetingSeries.objects.select_for_update().get(pk=series.pk)
    series.last_date = max(after, series.first_date)
    series.ended_at = timezone.now()
    series.save(update_fields=["last_date", "ended_at"])
    upcoming = series.meetings.filter(
        series_date__gt=after, status=MeetingStatus.PLANNED, starts_at__gt=timezone.now()
    )
    cancelled = 0
    for meeting in upcoming:
        meeting_cancel(meeting=meeting, reason=_("Mødeserien er afsluttet."))
        cancelled += 1
    return cancelled
