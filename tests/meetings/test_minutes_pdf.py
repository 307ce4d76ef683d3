"""The redacted case item on the meeting page, the decision page and in the minutes PDF; the
PDF renderer that never reaches the network; the task-due and minutes-overdue reminders.

The fixtures and data are in `minutes_helpers` (the demo §115 group's first meeting, held
yesterday, with Jonas's case on its agenda).
"""

from __future__ import annotations

import socket
from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone
from weasyprint import HTML

from cases.models import Case
from forum.models import Body
from meetings import minutes, reminders, services
from meetings.models import AgendaItem, Decision, Meeting, ReminderKind
from ssp.models import Reminder, ReminderStatus
from ssp.notify.reminders import claim_due, schedule_daily, send
from ssp.pdf import NetworkFetchRefused, NoNetworkFetcher
from tests.mail import outbox_delivered
from tests.meetings.minutes_helpers import (
    CASE_DECISION,
    CASE_ITEM,
    CASE_MINUTES,
    JONAS,
    REDACTED,
    first_monday_meeting,
    glostrup_person,
    hold_first_monday_meeting,
    item_titled,
    pdf_text,
    write_case_minutes,
)
from tests.personas import Personas

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(personas: Personas) -> Meeting:
    return hold_first_monday_meeting()


@pytest.fixture
def case_minutes(held: Meeting, personas: Personas) -> AgendaItem:
    return write_case_minutes(held, personas)


# The redacted case item ----------------------------------------------------------------------


def test_a_manager_who_cannot_see_the_case_has_no_decision_page_for_it(
    client: Client, personas: Personas, held: Meeting, case_minutes: AgendaItem
) -> None:
    # The administrator manages every Glostrup meeting but may not see Jonas's case.
    client.force_login(personas.admin)
    url = f"/moeder/{held.pk}/dagsorden/{case_minutes.pk}/beslutning/"

    assert client.get(url).status_code == 404
    assert client.post(url, {"text": "Indblanding"}).status_code == 404
    assert (
        client.get(
            f"/moeder/{held.pk}/dagsorden/{item_titled(held, 'SSP siden sidst').pk}/beslutning/"
        ).status_code
        == 200
    )
    assert Decision.objects.filter(item=case_minutes).count() == 1


HIDDEN = (JONAS, CASE_ITEM, CASE_MINUTES, CASE_DECISION, "Bekymringssamtale")


@pytest.mark.parametrize("persona", ["club", "admin"])
def test_the_minutes_of_a_redacted_item_stay_hidden_on_the_meeting_page(
    client: Client, personas: Personas, held: Meeting, case_minutes: AgendaItem, persona: str
) -> None:
    client.force_login(personas[persona])

    page = client.get(f"/moeder/{held.pk}/").content.decode()

    assert REDACTED in page
    assert "Ny klub åbner." in page
    for secret in HIDDEN:
        assert secret not in page, f"LEAK: {persona} sees {secret!r} on the meeting page"


def test_the_minutes_pdf_holds_minutes_decisions_and_participants(
    client: Client, personas: Personas, held: Meeting, case_minutes: AgendaItem
) -> None:
    client.force_login(personas.police)

    response = client.get(f"/moeder/{held.pk}/referat.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="referat-{held.pk}.pdf"'
    text = pdf_text(response.content)
    for expected in (
        "Referat: Mandagsmøde i §115-gruppen",
        *HIDDEN,
        "Ny klub åbner.",
        "Kirsten Kragh",
        "Peter Poulsen",
        "Sara Skov",
        "Kasper Krog (gæst)",
        "Udkast – referatet er ikke godkendt.",
    ):
        assert expected in text, f"{expected!r} missing from the PDF"
    assert REDACTED not in text


def test_the_minutes_pdf_of_a_reader_who_may_not_see_the_case_is_redacted(
    client: Client, personas: Personas, held: Meeting, case_minutes: AgendaItem
) -> None:
    client.force_login(personas.club)

    text = pdf_text(client.get(f"/moeder/{held.pk}/referat.pdf").content)

    assert REDACTED in text
    assert "Ny klub åbner." in text
    for secret in (*HIDDEN, "Jonas", "Fiktivsen"):
        assert secret not in text, f"LEAK: the club worker's PDF holds {secret!r}"


# The PDF renderer never fetches from the network ---------------------------------------------


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Record and refuse every attempt to resolve a name or open a connection."""
    attempts: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise OSError("network access in a test")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    return attempts


def test_images_in_minutes_are_stripped_before_they_reach_the_pdf() -> None:
    assert minutes.clean('<p><img src="http://example.invalid/x.png">Tekst</p>') == "<p>Tekst</p>"


def test_the_url_fetcher_refuses_every_url_but_inline_data() -> None:
    fetcher = NoNetworkFetcher()
    for url in ("http://example.invalid/x.png", "file:///etc/passwd", "https://intern.local/"):
        with pytest.raises(NetworkFetchRefused):
            fetcher.fetch(url)
    assert fetcher.fetch("data:text/plain,hej").read() == b"hej"


EXTERNAL_HTML = (
    '<html><head><link rel="stylesheet" href="http://example.invalid/style.css"></head>'
    '<body><p>Referat</p><img src="http://example.invalid/x.png"></body></html>'
)


def test_rendering_with_external_resources_skips_them_without_network(
    no_network: list[object], caplog: pytest.LogCaptureFixture
) -> None:
    pdf = HTML(string=EXTERNAL_HTML, url_fetcher=NoNetworkFetcher()).write_pdf()

    assert pdf.startswith(b"%PDF")
    assert "Referat" in pdf_text(pdf)
    assert no_network == []
    refused = [r.getMessage() for r in caplog.records if "example.invalid" in r.getMessage()]
    assert len(refused) == 2, refused
    assert "style.css" in refused[0]
    assert "NetworkFetchRefused" in refused[0]
    assert "x.png" in refused[1]
    assert "NetworkFetchRefused" in refused[1]


def test_the_network_guard_would_catch_the_default_fetcher(no_network: list[object]) -> None:
    # Without our fetcher WeasyPrint goes to the network: the guard above is not vacuous.
    HTML(string='<img src="http://example.invalid/x.png">').write_pdf()

    assert no_network != []


def test_the_minutes_pdf_renders_without_network(
    no_network: list[object], personas: Personas, held: Meeting, case_minutes: AgendaItem
) -> None:
    text = pdf_text(minutes.minutes_pdf(held, personas.consultant))

    assert CASE_MINUTES in text
    assert no_network == []


# Reminders -----------------------------------------------------------------------------------


def _local(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _send(rows: list[Reminder]) -> int:
    """Claim everything due at the last row's send time and send exactly these rows."""
    with time_machine.travel(max(r.send_at for r in rows) + timedelta(minutes=1), tick=False):
        claim_due()
        mail.outbox.clear()
        with outbox_delivered():
            return send([r.pk for r in rows])


def test_a_task_due_tomorrow_is_reminded_with_a_link_only(
    personas: Personas, held: Meeting
) -> None:
    today = timezone.localdate()
    decision = services.decision_add(
        item=item_titled(held, CASE_ITEM),
        by=personas.consultant,
        text=CASE_DECISION,
        task_title="Samtale med Jonas Fiktivsen",
        responsible=glostrup_person("social@demo.ssp"),
        due_on=today + timedelta(days=1),
    )
    services.decision_add(
        item=item_titled(held, "Nye bekymringer"),
        by=personas.consultant,
        text="Senere",
        task_title="Senere opgave",
        responsible=glostrup_person("politi@demo.ssp"),
        due_on=today + timedelta(days=3),
    )

    schedule_daily(today)

    rows = list(Reminder.objects.filter(object_type=reminders.TASK_TYPE))
    assert [(r.kind, r.object_id, r.recipient, r.due_at) for r in rows] == [
        (ReminderKind.TASK_DUE, decision.task.pk, personas.social, _local(today, 8))
    ]
    assert _send(rows) == 1
    [message] = mail.outbox
    assert message.to == ["social@demo.ssp"]
    assert f"http://localhost:8000/moeder/{held.pk}/" in message.body
    for secret in ("Jonas", "Fiktivsen", "Samtale med"):
        assert secret not in message.body, f"LEAK: {secret!r} in the task reminder"


def test_a_done_task_is_not_reminded(personas: Personas, held: Meeting) -> None:
    today = timezone.localdate()
    decision = services.decision_add(
        item=item_titled(held, "Nye bekymringer"),
        by=personas.consultant,
        text="Gjort allerede",
        task_title="Gjort",
        responsible=glostrup_person("social@demo.ssp"),
        due_on=today + timedelta(days=1),
    )
    services.task_mark_done(task=decision.task)

    schedule_daily(today)

    assert Reminder.objects.filter(object_type=reminders.TASK_TYPE).count() == 0


def _minutes_reminder(meeting: Meeting) -> Reminder:
    return Reminder.objects.get(
        object_type=reminders.MEETING_TYPE,
        object_id=meeting.pk,
        kind=ReminderKind.MINUTES_OVERDUE,
    )


def _meeting_on_wednesday(personas: Personas) -> tuple[Meeting, datetime]:
    """A Vestervang meeting on a Wednesday in January next year, planned the Sunday before."""
    wednesday = date(timezone.localdate().year + 1, 1, 13)
    while wednesday.weekday() != 2:
        wednesday += timedelta(days=1)
    planned_at = _local(wednesday - timedelta(days=3), 12)
    with time_machine.travel(planned_at, tick=False):
        meeting = services.meeting_create(
            body=Body.objects.get(name="SSP-team Vestervang", municipality__code="161"),
            organiser=personas.leader,
            title="Teammøde",
            starts_at=_local(wednesday, 10),
            ends_at=_local(wednesday, 11),
            notify=False,
        )
    return meeting, _local(wednesday, 12)


def test_the_minutes_overdue_reminder_is_sent_while_the_minutes_wait(personas: Personas) -> None:
    meeting, _after = _meeting_on_wednesday(personas)
    reminder = _minutes_reminder(meeting)
    # Two working days after a Wednesday: Friday.
    assert timezone.localtime(reminder.send_at) == _local(
        timezone.localdate(meeting.starts_at) + timedelta(days=2), 8
    )

    assert _send([reminder]) == 1

    [message] = mail.outbox
    assert message.to == ["leder@demo.ssp"]
    assert message.subject == "SSP-samarbejde: Referat mangler"
    assert "Referatet af »Teammøde«" in message.body
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.SENT


def test_the_minutes_overdue_reminder_is_dropped_once_the_minutes_are_approved(
    personas: Personas,
) -> None:
    meeting, after = _meeting_on_wednesday(personas)
    with time_machine.travel(after, tick=False):
        services.minutes_approve(meeting=meeting, by=personas.leader)
    reminder = _minutes_reminder(meeting)

    assert _send([reminder]) == 0

    assert mail.outbox == []
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.CANCELLED


def test_the_case_of_the_demo_item_is_jonas() -> None:
    # The tests above rely on the seed: Jonas's case is on the first §115 agenda.
    item = item_titled(first_monday_meeting(), CASE_ITEM)
    assert item.case == Case.objects.get(young_person__full_name=JONAS)
