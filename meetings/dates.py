"""Pure date logic of meetings: Danish public holidays, the dates a series gives, and the
school year. No database access, so it is tested and reused without one."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

import holidays

if TYPE_CHECKING:
    from meetings.models import MeetingSeries

# The Danish school year runs from August to July.
SCHOOL_YEAR_FIRST_MONTH = 8


def school_year_of(day: date) -> int:
    """The school year a date belongs to, by the year it starts in: August 2026 to July 2027
    is 2026."""
    return day.year if day.month >= SCHOOL_YEAR_FIRST_MONTH else day.year - 1


def school_year_label(year: int) -> str:
    return f"{year}/{str(year + 1)[-2:]}"


def school_year_bounds(school_year: int) -> tuple[date, date]:
    return date(school_year, SCHOOL_YEAR_FIRST_MONTH, 1), date(
        school_year + 1, SCHOOL_YEAR_FIRST_MONTH, 1
    ) - timedelta(days=1)


def danish_holidays(first: date, last: date) -> set[date]:
    """Danish public holidays (helligdage) between two dates, both included."""
    days = holidays.country_holidays("DK", years=range(first.year, last.year + 1))
    return {day for day in days if first <= day <= last}


def series_dates(series: MeetingSeries, until: date) -> list[date]:
    """The dates the series gives up to `until` (and its last date), holidays skipped."""
    last = min(until, series.last_date) if series.last_date else until
    if last < series.first_date:
        return []
    step = timedelta(weeks=series.interval_weeks)
    dates = []
    day = series.first_date
    while day <= last:
        dates.append(day)
        day += step
    if series.skip_holidays:
        closed = danish_holidays(series.first_date, last)
        dates = [day for day in dates if day not in closed]
    return dates
