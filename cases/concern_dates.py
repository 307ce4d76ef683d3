"""The plausible range of every date on a concern, and the Danish message for a date outside it.

A concern is about a young person (SSP and SSP+ reach people up to about 30, so nobody born
more than `BIRTH_YEARS_BACK` years ago), about something seen recently (a report of something
more than `OBSERVED_YEARS_BACK` years ago is a typo, or history rather than a concern), and a
notification under Barnets lov has been made, not will be made, when it has a date. None of
them lies in the future. The service refuses a date outside its range with a field-keyed
error; the form tells the browser's date picker the same range (`min`/`max`) and refuses with
the same message, so the user reads one wording whichever caught it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

BIRTH_YEARS_BACK = 35
OBSERVED_YEARS_BACK = 3


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


@dataclass(frozen=True)
class DateRule:
    """A date field's range (earliest a number of years back, latest today) and its messages."""

    years_back: int
    too_early: str | Promise
    in_future: str | Promise

    def range(self, today: date | None = None) -> tuple[date, date]:
        today = today or timezone.localdate()
        return _years_before(today, self.years_back), today

    def error(self, value: date | None) -> str | None:
        """The message for a date outside the range, or None."""
        if value is None:
            return None
        earliest, latest = self.range()
        if value > latest:
            return str(self.in_future)
        if value < earliest:
            return str(self.too_early) % {
                "earliest": date_format(earliest, "DATE_FORMAT"),
                "years": self.years_back,
            }
        return None

    def validator(self) -> Callable[[object], None]:
        def validate(value: object) -> None:
            message = self.error(value) if isinstance(value, date) else None
            if message:
                raise ValidationError(message, code="date_out_of_range")

        return validate


BIRTH_DATE = DateRule(
    BIRTH_YEARS_BACK,
    too_early=_(
        "Fødselsdatoen kan ikke ligge før %(earliest)s: SSP arbejder med børn og unge. "
        "Tjek årstallet."
    ),
    in_future=_("Fødselsdatoen kan ikke ligge i fremtiden."),
)
OBSERVED_ON = DateRule(
    OBSERVED_YEARS_BACK,
    too_early=_(
        "Datoen kan højst ligge %(years)s år tilbage (tidligst %(earliest)s). Tjek årstallet."
    ),
    in_future=_("Datoen kan ikke ligge i fremtiden."),
)
NOTIFIED_ON = DateRule(
    OBSERVED_YEARS_BACK,
    too_early=_(
        "Datoen for underretningen kan højst ligge %(years)s år tilbage (tidligst "
        "%(earliest)s). Tjek årstallet."
    ),
    in_future=_(
        "Datoen for underretningen kan ikke ligge i fremtiden. Er den ikke sendt endnu, "
        "så vælg »Nej, men det bliver gjort«."
    ),
)

CONCERN_DATE_RULES: dict[str, DateRule] = {
    "birth_date": BIRTH_DATE,
    "observed_on": OBSERVED_ON,
    "notified_on": NOTIFIED_ON,
}


def date_errors(**values: date | None) -> dict[str, list[str]]:
    """Field-keyed errors for the concern dates given by field name (see CONCERN_DATE_RULES)."""
    errors: dict[str, list[str]] = {}
    for field, value in values.items():
        message = CONCERN_DATE_RULES[field].error(value)
        if message:
            errors[field] = [message]
    return errors
