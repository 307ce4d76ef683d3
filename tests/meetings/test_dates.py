"""The pure date logic of meetings, tested without a database: the school year runs from
August to July, and a series skips Danish public holidays."""

from __future__ import annotations

from datetime import date, time

import pytest

from meetings.dates import (
    danish_holidays,
    school_year_bounds,
    school_year_label,
    school_year_of,
    series_dates,
)
from meetings.models import MeetingSeries


@pytest.mark.parametrize(
    ("day", "school_year"),
    [(date(2026, 7, 31), 2025), (date(2026, 8, 1), 2026), (date(2027, 1, 15), 2026)],
)
def test_a_day_belongs_to_the_school_year_that_began_the_august_before(
    day: date, school_year: int
) -> None:
    assert school_year_of(day) == school_year
    first, last = school_year_bounds(school_year)
    assert first <= day <= last


def test_a_school_year_runs_from_the_first_of_august_to_the_last_of_july() -> None:
    assert school_year_bounds(2026) == (date(2026, 8, 1), date(2027, 7, 31))
    assert school_year_label(2026) == "2026/27"


def test_a_weekly_series_skips_ascension_day() -> None:
    # Ascension Day (Kristi himmelfartsdag) 2027 is Thursday 6 May.
    series = MeetingSeries(
        first_date=date(2027, 4, 29),
        last_date=date(2027, 5, 13),
        interval_weeks=1,
        start_time=time(9),
        end_time=time(10),
        skip_holidays=True,
    )
    assert date(2027, 5, 6) in danish_holidays(date(2027, 5, 1), date(2027, 5, 31))
    assert series_dates(series, date(2027, 12, 31)) == [date(2027, 4, 29), date(2027, 5, 13)]
