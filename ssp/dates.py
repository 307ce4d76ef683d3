"""Dates and times in a named format, as `django.utils.formats.date_format` writes them, for
the rows of the long tables (`ssp/tables.py`).

Django's `date_format` splits the format with a regular expression and translates the name of
the month or weekday on every call: 30 µs a value, 1.7 ms of a meeting table's 35 rows. Here
the format is split once per language and format name, and the names of the months and
weekdays are translated once per language; a value then costs a few string operations. The
output is Django's: `tests/ssp/test_dates.py` compares the two for every day of a year in every
format the tables use, in both languages, and any letter not handled here is left to Django.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date, datetime

from django.utils.dateformat import DateFormat, re_escaped, re_formatchars
from django.utils.formats import get_format
from django.utils.translation import get_language

Piece = Callable[[date], str]

# Letters that depend only on the numbers of the date or time.
_NUMBERS: dict[str, Piece] = {
    "d": lambda value: f"{value.day:02d}",
    "j": lambda value: str(value.day),
    "m": lambda value: f"{value.month:02d}",
    "n": lambda value: str(value.month),
    "y": lambda value: f"{value.year % 100:02d}",
    "Y": lambda value: f"{value.year:04d}",
    "G": lambda value: str(value.hour),  # type: ignore[attr-defined]
    "H": lambda value: f"{value.hour:02d}",  # type: ignore[attr-defined]
    "i": lambda value: f"{value.minute:02d}",  # type: ignore[attr-defined]
    "s": lambda value: f"{value.second:02d}",  # type: ignore[attr-defined]
}
# Names, by month (1–12) or weekday (Monday 0): translated once per language.
_MONTH_NAMES = "bEFMN"
_WEEKDAY_NAMES = "Dl"
# 2001 began on a Monday: day 1 + n of January is weekday n.
_YEAR = 2001


@functools.lru_cache(maxsize=64)
def _month_names(language: str | None, letter: str) -> tuple[str, ...]:
    return ("", *(DateFormat(date(_YEAR, month, 1)).format(letter) for month in range(1, 13)))


@functools.lru_cache(maxsize=64)
def _weekday_names(language: str | None, letter: str) -> tuple[str, ...]:
    return tuple(DateFormat(date(_YEAR, 1, 1 + weekday)).format(letter) for weekday in range(7))


def _piece(language: str | None, letter: str) -> Piece:
    if letter in _NUMBERS:
        return _NUMBERS[letter]
    if letter in _MONTH_NAMES:
        months = _month_names(language, letter)
        return lambda value: months[value.month]
    if letter in _WEEKDAY_NAMES:
        weekdays = _weekday_names(language, letter)
        return lambda value: weekdays[value.weekday()]
    return lambda value: DateFormat(value).format(letter)


@functools.lru_cache(maxsize=256)
def _compiled(language: str | None, format_name: str) -> tuple[str | Piece, ...]:
    """The format `format_name` of `language` as text and the letters' functions in turn."""
    pieces: list[str | Piece] = []
    text = str(get_format(format_name, lang=language))
    for index, piece in enumerate(re_formatchars.split(text)):
        if index % 2:
            pieces.append(_piece(language, piece))
        elif piece:
            pieces.append(re_escaped.sub(r"\1", piece))
    return tuple(pieces)


def date_format(value: date | datetime, format_name: str) -> str:
    """`value` (a date, or a datetime already in local time) in the active language's format
    `format_name`, such as "ABBR_DATE_FORMAT"."""
    return "".join(
        piece if isinstance(piece, str) else piece(value)
        for piece in _compiled(get_language(), format_name)
    )
