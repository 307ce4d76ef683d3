"""Dates in the reader's language: "7. dec" and "1. januar 2026" in Danish, "7 Dec" and
"1 January 2026" in English, through named formats (ssp/formats/<language>/formats.py)."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.test import Client
from django.utils import timezone, translation

from cases.models import Case
from ssp.formats.da import formats as danish
from ssp.formats.en import formats as english
from tests.personas import Personas

pytestmark = pytest.mark.django_db

MONDAY = datetime(2026, 12, 7, 14, 5, tzinfo=timezone.get_current_timezone())

EXPECTED = {
    "DATE_FORMAT": ("7. december 2026", "7 December 2026"),
    "DATETIME_FORMAT": ("7. december 2026 14:05", "7 December 2026 14:05"),
    "ABBR_DATE_FORMAT": ("7. dec 2026", "7 Dec 2026"),
    "DAY_MONTH_FORMAT": ("7. dec", "7 Dec"),
    "WEEKDAY_DAY_MONTH_TIME_FORMAT": ("man 7. dec 14:05", "Mon 7 Dec 14:05"),
    "WEEKDAY_DATE_FORMAT": ("mandag 7. december 2026", "Monday 7 December 2026"),
    "WEEKDAY_DATETIME_AT_FORMAT": (
        "mandag 7. december 2026 kl. 14:05",
        "Monday 7 December 2026 at 14:05",
    ),
    "MONTH_ABBR_YEAR_FORMAT": ("dec 2026", "Dec 2026"),
}


def _names(module: object) -> set[str]:
    return {name for name in vars(module) if name.endswith("_FORMAT")}


def test_every_named_format_is_defined_for_both_languages() -> None:
    assert _names(danish) == _names(english)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_named_format_reads_danish_in_danish_and_english_in_english(name: str) -> None:
    template = Template("{% load tz %}{{ moment|localtime|date:name }}")
    rendered = []
    for language in ("da", "en"):
        with translation.override(language):
            rendered.append(template.render(Context({"moment": MONDAY, "name": name})))
    assert tuple(rendered) == EXPECTED[name]


def test_templates_name_their_date_formats_instead_of_writing_danish_patterns() -> None:
    used = re.compile(r'\|date:"([^"]*)"')
    templates = Path(settings.BASE_DIR) / "templates"
    offenders = [
        f"{path.relative_to(settings.BASE_DIR)}: {match.group(0)}"
        for path in templates.rglob("*.*")
        # The ActionCard's templates are being redone on their own branch (issue 19).
        if "actioncard" not in path.parts
        for match in used.finditer(path.read_text(errors="ignore"))
        # A named format, or a month's name alone (reads right in both languages).
        if not re.fullmatch(r"[A-Z_]+_FORMAT|F", match.group(1))
    ]
    assert not offenders, "Danish date patterns in templates:\n" + "\n".join(offenders)


def test_the_case_page_dates_its_timeline_in_the_readers_language(
    client: Client, personas: Personas
) -> None:
    case = Case.objects.get(young_person__full_name="Demo-Mikkel Eksempelsen")
    opened = timezone.localtime(case.opened_at).date()
    client.force_login(personas.consultant)

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english_page = client.get(f"/sager/{case.pk}/").content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "da"
    danish_page = client.get(f"/sager/{case.pk}/").content.decode()

    with translation.override("en"):
        assert f"{opened.day} {opened:%B} {opened.year}" in english_page
    assert f"{opened.day}. {_danish_month(opened)} {opened.year}" in danish_page
    assert f"{opened.day}. {opened:%B}" not in english_page


def _danish_month(day: date) -> str:
    with translation.override("da"):
        return Template("{{ d|date:'F' }}").render(Context({"d": day}))
