"""Working days: Monday to Friday except Danish public holidays (the `holidays` package).

Deadlines counted in working days (a concern not triaged within one working day, a
notification due two working days after the concern, minutes two working days after a
meeting) skip weekends and the holidays of `holidays.country_holidays("DK")`: New Year,
Easter (Maundy Thursday to Easter Monday), Ascension, Whit Monday, Christmas. Constitution
Day (5 June) and Christmas Eve are not public holidays in the package and count as working
days, as they do in Danish law; a municipality closed on those days is not modelled.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import cache

import holidays
from django.utils import timezone


@cache
def _closed(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("DK", years=[year]))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _closed(day.year)


def working_days_after(day: date, count: int) -> date:
    """The date `count` working days after `day`: weekends and Danish holidays skipped."""
    while count:
        day += timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day


def working_days_later(moment: datetime, count: int) -> datetime:
    """The same clock time `count` working days after `moment` (itself for 0): a concern in
    on Friday at 14 with one working day to go is due on Monday at 14."""
    if count <= 0:
        return moment
    local = timezone.localtime(moment)
    day = working_days_after(local.date(), count)
    return timezone.make_aware(datetime.combine(day, local.time().replace(tzinfo=None)))
