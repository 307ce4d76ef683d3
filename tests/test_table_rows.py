"""The rows `{% case_rows %}` and `{% meeting_rows %}` write: every cell the templates showed,
in the reader's language, escaped."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from cases import services as case_services
from cases.models import PreventionLevel
from meetings import services as meeting_services
from tests.factories import BodyFactory, CaseFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def _render(source: str, **context: object) -> str:
    return Template(source).render(Context(context))


@pytest.mark.parametrize(
    ("language", "status", "no_coordinator"), [("da", "Åben", "–"), ("en", "Open", "–")]
)
def test_a_case_row_shows_the_case_its_subject_status_body_coordinator_and_date(
    language: str, status: str, no_coordinator: str
) -> None:
    case = CaseFactory()
    case.refresh_from_db()
    changed = timezone.localtime(case.updated_at)

    with translation.override(language):
        html = _render("{% load case_tables %}{% case_rows cases %}", cases=[case])
        label = str(case)
        date = date_format(changed, "ABBR_DATE_FORMAT")

    assert f'<a href="{reverse("cases:case_detail", args=[case.pk])}">{label}</a>' in html
    assert f">{case.young_person.full_name}</td>" in html
    assert f">{status}</td>" in html
    assert f">{case.responsible_body.name}</td>" in html
    assert f">{no_coordinator}</td>" in html
    assert (
        f'<td data-title="{ {"da": "Senest ændret", "en": "Last changed"}[language] }">{date}</td>'
        in html
    )
    assert html.count("<td data-title=") == 6


def test_a_case_row_names_its_coordinator_and_escapes_a_place() -> None:
    template_case = CaseFactory()
    coordinator = template_case.opened_by
    coordinator.full_name = "Kim <Tovholder> & Co"
    coordinator.save(update_fields=["full_name"])
    case = case_services.case_open(
        municipality=template_case.municipality,
        responsible_body=template_case.responsible_body,
        opened_by=template_case.opened_by,
        level=PreventionLevel.SPECIFIC,
        prevention_kind=template_case.prevention_kind,
        subject_description="Bag <hallen> & banen",
        coordinator=coordinator,
    )

    with translation.override("da"):
        html = _render("{% load case_tables %}{% case_rows cases %}", cases=[case])

    assert ">Bag &lt;hallen&gt; &amp; banen</td>" in html
    assert ">Kim &lt;Tovholder&gt; &amp; Co</td>" in html
    assert "<hallen>" not in html


def test_a_meeting_row_shows_when_what_where_and_the_body_when_asked() -> None:
    body = BodyFactory(name="SSP-Forum <Nord>")
    starts = datetime(2027, 3, 4, 9, 30, tzinfo=ZoneInfo("Europe/Copenhagen"))
    meeting = MeetingFactory(
        body=body,
        title="Planlægning & opfølgning",
        starts_at=starts,
        ends_at=starts + timedelta(hours=1, minutes=15),
    )

    with translation.override("da"):
        with_body = _render(
            "{% load meeting_tables %}{% meeting_rows meetings True %}", meetings=[meeting]
        )
        without_body = _render(
            "{% load meeting_tables %}{% meeting_rows meetings %}", meetings=[meeting]
        )
    with translation.override("en"):
        english = _render(
            "{% load meeting_tables %}{% meeting_rows meetings %}", meetings=[meeting]
        )

    link = reverse("meetings:meeting_detail", args=[meeting.pk])
    assert '<td data-title="Tid">tor 4. mar 2027 09:30–10:45</td>' in with_body
    assert f'<a href="{link}">Planlægning &amp; opfølgning</a></td>' in with_body
    assert '<td data-title="Organ">SSP-Forum &lt;Nord&gt;</td>' in with_body
    assert '<td data-title="Sted">–</td>' in with_body
    assert "SSP-Forum" not in without_body
    assert without_body.count("<td ") == 3
    assert '<td data-title="Time">Thu 4 Mar 2027 09:30–10:45</td>' in english
    assert "Aflyst" not in with_body


def test_a_cancelled_meeting_says_so_in_the_readers_language() -> None:
    meeting = MeetingFactory(location="Rådhuset, lokale 2")
    meeting = meeting_services.meeting_cancel(meeting=meeting, reason="Sygdom", notify=False)

    with translation.override("da"):
        danish = _render("{% load meeting_tables %}{% meeting_rows meetings %}", meetings=[meeting])
    with translation.override("en"):
        english = _render(
            "{% load meeting_tables %}{% meeting_rows meetings %}", meetings=[meeting]
        )

    assert '</a> <span class="badge badge-large">Aflyst</span></td>' in danish
    assert '<span class="badge badge-large">Cancelled</span>' in english
    assert '<td data-title="Sted">Rådhuset, lokale 2</td>' in danish


def test_no_meetings_leave_the_table_its_empty_row() -> None:
    html = _render(
        "{% include 'meetings/partials/meeting_table.html' %}",
        meetings=[],
        show_body=True,
        caption="Kommende møder",
        empty="Ingen møder.",
    )

    assert '<tbody><tr><td colspan="4">Ingen møder.</td></tr></tbody>' in html
