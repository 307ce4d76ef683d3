"""`ssp.dates.date_format` writes what Django's `date_format` writes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import formats, timezone, translation

from ssp import dates
from ssp.formats.da import formats as danish

# Every format the project names (ssp/formats), Django's own, and a format string rather than
# a name, as the meeting table's end time uses.
FORMATS = sorted(
    {name for name in vars(danish) if name.endswith("_FORMAT")}
    | {"DATE_FORMAT", "DATETIME_FORMAT", "SHORT_DATE_FORMAT", "SHORT_DATETIME_FORMAT", "H:i"}
)


def _instants() -> list[datetime]:
    """Every day of 2026 at a time that moves through the day, in local time (so across both
    of the year's summer-time changes), and the ends of the calendar."""
    zone = timezone.get_current_timezone()
    start = datetime(2026, 1, 1, 0, 0, tzinfo=zone)
    every_day = [
        timezone.localtime(start + timedelta(days=day, minutes=day * 37)) for day in range(365)
    ]
    return [
        *every_day,
        datetime(1, 1, 1, 12, 5, tzinfo=zone),
        datetime(9999, 12, 31, 9, 0, tzinfo=zone),
    ]


@pytest.mark.parametrize("language", ["da", "en"])
@pytest.mark.parametrize("name", FORMATS)
def test_the_same_as_djangos_for_every_day_of_a_year(language: str, name: str) -> None:
    with translation.override(language):
        for value in _instants():
            assert dates.date_format(value, name) == formats.date_format(value, name), value
        if "TIME" not in name and name != "H:i":
            for value in _instants():
                day = value.date()
                assert dates.date_format(day, name) == formats.date_format(day, name), day


def test_the_names_follow_the_active_language() -> None:
    value = datetime(2026, 12, 7, 14, 0, tzinfo=timezone.get_current_timezone())
    with translation.override("da"):
        assert dates.date_format(value, "WEEKDAY_DAY_MONTH_TIME_FORMAT") == "man 7. dec 14:00"
        assert dates.date_format(value, "WEEKDAY_DATETIME_AT_FORMAT") == (
            "mandag 7. december 2026 kl. 14:00"
        )
    with translation.override("en"):
        assert dates.date_format(value, "WEEKDAY_DATE_FORMAT").startswith("Monday")


def test_a_letter_it_does_not_handle_itself_is_left_to_django() -> None:
    value = timezone.localtime(datetime(2028, 3, 26, 1, 30, tzinfo=UTC))
    # "e" (the time zone's name), "L" (leap year), "U" (seconds since the epoch), an escape
    wanted = formats.date_format(value, r"e \L L U")
    assert dates.date_format(value, r"e \L L U") == wanted
    assert wanted.split(" ")[1:3] == ["L", "True"]
