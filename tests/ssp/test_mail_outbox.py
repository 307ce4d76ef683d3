"""Every email leaves through one outbox (`ssp.notify.mail`): written in the transaction that
caused it, sent by a worker after the commit, retried with backoff while the mail server is
away, swept when its message was lost, sent once, and deleted after the retention period."""

from __future__ import annotations

import io
import logging
import re
import smtplib
import subprocess
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from celery.exceptions import Retry
from celery.schedules import crontab
from django.conf import settings
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.utils import timezone

from cases.models import ConcernCategory, NotificationStatus, SubjectKind
from forum.models import Municipality, Unit
from ssp import tasks
from ssp.celery import app as celery_app
from ssp.models import OutgoingEmail, OutgoingEmailStatus
from ssp.notify import mail as outbox
from ssp.notify.mail import Attachment, email_send
from tests.celery_worker import running_worker
from tests.mail import ENQUEUE_TO_BROKER, deliver_in_process
from tests.personas import Personas, load_personas
from tests.smtp_server import SmtpServer

ROOT = Path(__file__).resolve().parents[2]
ADDRESS = "modtager@test.ssp"

# What only the mail owner may do: send, or open a connection to the mail server.
FORBIDDEN = [
    re.compile(r"\bsend_mail\("),
    re.compile(r"\bsend_mass_mail\("),
    re.compile(r"\bmail_admins\("),
    re.compile(r"\bmail_managers\("),
    re.compile(r"\.send_messages\("),
    re.compile(r"\bget_connection\("),
    re.compile(r"^\s*(from django\.core\.mail\b|import django\.core\.mail\b)", re.MULTILINE),
    re.compile(r"^\s*from django\.core import .*\bmail\b", re.MULTILINE),
]
MESSAGE_CLASS = re.compile(r"\b(EmailMessage|EmailMultiAlternatives)\(")


class _BrokenMailServer(BaseEmailBackend):
    def send_messages(self, email_messages):  # type: ignore[no-untyped-def]
        raise smtplib.SMTPServerDisconnected("the mail server went away")


def _application_modules() -> list[str]:
    files = subprocess.run(
        ["git", "ls-files", "*.py"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return [
        path
        for path in files
        if not path.startswith(("tests/", "ssp/notify/")) and "/migrations/" not in path
    ]


def test_no_module_but_the_mail_owner_sends_mail() -> None:
    modules = _application_modules()
    offenders = []
    for path in modules:
        text = (ROOT / path).read_text(encoding="utf-8")
        offenders += [f"{path}: {p.pattern}" for p in FORBIDDEN if p.search(text)]
        if MESSAGE_CLASS.search(text) and ".send(" in text:
            offenders.append(f"{path}: builds an email message and sends it")

    assert len(modules) > 100, "the scan must see the application"
    assert offenders == [], "send email through ssp.notify.mail.email_send:\n" + "\n".join(
        offenders
    )


def test_the_scan_catches_a_module_that_sends_on_its_own() -> None:
    for text in (
        "from django.core.mail import send_mail\nsend_mail('a', 'b', None, ['c'])",
        "from django.core import mail\nmail.get_connection()",
    ):
        assert any(p.search(text) for p in FORBIDDEN), text


def test_beat_sweeps_the_outbox_every_minute() -> None:
    entry = next(
        e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "ssp.tasks.sweep_emails"
    )
    assert entry["schedule"] == crontab()


# One row per recipient, written in the caller's transaction ----------------------------------


@transaction.atomic
def _a_change_that_fails() -> None:
    email_send(to=[ADDRESS], subject="Emne", body="Tekst")
    raise RuntimeError("the change fails")


@pytest.mark.django_db
def test_a_rolled_back_change_mails_no_one(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    before = OutgoingEmail.objects.count()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
    ):
        _a_change_that_fails()

    assert callbacks == []
    assert OutgoingEmail.objects.count() == before
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_committed_change_mails_each_recipient_once_with_its_parts(
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    invitation = b"BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"

    with django_capture_on_commit_callbacks(execute=True):
        rows = email_send(
            to=["b@test.ssp", "a@test.ssp", "", "b@test.ssp"],
            subject="Invitation: Møde",
            body="Se mødet",
            alternatives=[(invitation.decode(), "text/calendar; method=REQUEST")],
            attachments=[Attachment("invitation.ics", invitation, "application/ics")],
        )

    assert [row.to for row in rows] == ["a@test.ssp", "b@test.ssp"]
    assert sorted(m.to[0] for m in mail.outbox) == ["a@test.ssp", "b@test.ssp"]
    message = mail.outbox[0]
    assert (message.subject, message.body) == ("Invitation: Møde", "Se mødet")
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert message.alternatives[0][1] == "text/calendar; method=REQUEST"
    assert "METHOD:REQUEST" in message.alternatives[0][0]
    assert message.attachments == [("invitation.ics", invitation, "application/ics")]
    sent = OutgoingEmail.objects.get(pk=rows[0].pk)
    assert sent.status == OutgoingEmailStatus.SENT
    assert sent.sent_at is not None
    assert (sent.body, sent.alternatives, sent.attachments) == ("", [], []), (
        "a sent email's content (a code, a link) is not kept"
    )


@pytest.mark.django_db
def test_a_broker_that_is_down_does_not_fail_the_commit_and_leaves_the_row_to_the_sweep(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broker_down(pk: int) -> None:
        raise ConnectionError("Redis is away")

    monkeypatch.setattr(outbox, "_enqueue", ENQUEUE_TO_BROKER)
    monkeypatch.setattr(tasks.deliver_email, "delay", broker_down)
    rows = email_send(to=["a@test.ssp", "b@test.ssp"], subject="Hemmeligt emne", body="x")

    with caplog.at_level(logging.WARNING):
        outbox._enqueue([row.pk for row in rows])

    assert set(
        OutgoingEmail.objects.filter(pk__in=[r.pk for r in rows]).values_list("status", flat=True)
    ) == {OutgoingEmailStatus.PENDING}
    assert len(caplog.records) == 1, "one warning, not one wait per row"
    assert "Hemmeligt emne" not in caplog.text
    assert "a@test.ssp" not in caplog.text


# Delivery: once, retried with backoff, given up after the last attempt ------------------------


def _queued(**fields: object) -> OutgoingEmail:
    return OutgoingEmail.objects.create(
        to=ADDRESS, from_email="afsender@test.ssp", subject="Hemmeligt emne", body="x", **fields
    )


@pytest.mark.django_db
def test_delivering_twice_sends_once() -> None:
    row = _queued()

    first = outbox.email_deliver(email_id=row.pk)
    second = outbox.email_deliver(email_id=row.pk)
    tasks.deliver_email.run(row.pk)

    assert (first, second) == (None, None)
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutgoingEmailStatus.SENT, 1)


@pytest.mark.django_db
def test_a_row_that_is_gone_is_skipped_quietly() -> None:
    assert outbox.email_deliver(email_id=987654321) is None
    tasks.deliver_email.run(987654321)
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_failed_send_is_retried_with_doubling_waits_then_given_up_and_logged_without_content(
    settings,  # type: ignore[no-untyped-def]
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings.EMAIL_BACKEND = f"{__name__}._BrokenMailServer"
    settings.EMAIL_RETRY_BACKOFF_SECONDS = 30
    settings.EMAIL_MAX_ATTEMPTS = 4
    settings.EMAIL_REQUEUE_AFTER_SECONDS = 120
    row = _queued()

    with caplog.at_level(logging.WARNING):
        waits = [outbox.email_deliver(email_id=row.pk) for _ in range(5)]
        row.refresh_from_db()

    assert waits == [30, 60, 120, None, None]
    assert (row.status, row.attempts) == (OutgoingEmailStatus.FAILED, 4)
    assert row.last_error == "SMTPServerDisconnected: the mail server went away"
    assert "giving up" in caplog.records[-1].getMessage()
    assert caplog.records[-1].levelno == logging.ERROR
    assert ADDRESS not in caplog.text
    assert "Hemmeligt emne" not in caplog.text
    assert mail.outbox == []


@pytest.mark.django_db
def test_after_a_failure_the_sweep_waits_for_the_retry_and_its_grace(
    settings,  # type: ignore[no-untyped-def]
) -> None:
    settings.EMAIL_BACKEND = f"{__name__}._BrokenMailServer"
    settings.EMAIL_REQUEUE_AFTER_SECONDS = 120
    row = _queued()
    before = timezone.now()

    outbox.email_deliver(email_id=row.pk)

    row.refresh_from_db()
    expected = before + timedelta(seconds=30 + 120)
    assert expected <= row.next_attempt_at <= timezone.now() + timedelta(seconds=150)


@pytest.mark.django_db
def test_the_task_retries_after_the_rows_backoff(
    settings,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings.EMAIL_BACKEND = f"{__name__}._BrokenMailServer"
    asked: list[int] = []

    def retry(*, countdown: int) -> Retry:
        asked.append(countdown)
        return Retry()

    monkeypatch.setattr(tasks.deliver_email, "retry", retry)
    row = _queued()

    with pytest.raises(Retry):
        tasks.deliver_email.run(row.pk)
    with pytest.raises(Retry):
        tasks.deliver_email.run(row.pk)

    assert asked == [30, 60]


# The sweep and the retention ------------------------------------------------------------------


@pytest.mark.django_db
def test_the_sweep_hands_over_rows_whose_time_has_come_once(
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    now = timezone.now()
    lost = _queued(next_attempt_at=now - timedelta(minutes=1))
    waiting = _queued(next_attempt_at=now + timedelta(minutes=1))
    sent = _queued(next_attempt_at=now - timedelta(minutes=5), status=OutgoingEmailStatus.SENT)

    with django_capture_on_commit_callbacks(execute=True):
        swept = outbox.emails_sweep(now)
    again = outbox.emails_sweep(now + timedelta(seconds=30))

    assert swept == 1
    assert again == 0, "a row just handed over is not handed over again next minute"
    assert [m.to for m in mail.outbox] == [[ADDRESS]]
    statuses = dict(OutgoingEmail.objects.values_list("pk", "status"))
    assert statuses[lost.pk] == OutgoingEmailStatus.SENT
    assert statuses[waiting.pk] == OutgoingEmailStatus.PENDING
    assert statuses[sent.pk] == OutgoingEmailStatus.SENT


@pytest.mark.django_db
def test_sent_and_failed_rows_are_deleted_after_the_retention_and_pending_ones_never(
    settings,  # type: ignore[no-untyped-def]
) -> None:
    settings.EMAIL_RETENTION_DAYS = 30
    now = timezone.now()
    old = now - timedelta(days=31)
    recent = now - timedelta(days=29)
    old_sent = _queued(status=OutgoingEmailStatus.SENT, created_at=old)
    old_failed = _queued(status=OutgoingEmailStatus.FAILED, created_at=old)
    old_pending = _queued(created_at=old)
    recent_sent = _queued(status=OutgoingEmailStatus.SENT, created_at=recent)

    deleted = outbox.emails_prune(now)

    assert deleted == 2
    left = set(OutgoingEmail.objects.values_list("pk", flat=True))
    assert {old_pending.pk, recent_sent.pk} <= left
    assert not {old_sent.pk, old_failed.pk} & left


# A real mail server that goes away, a real worker ---------------------------------------------


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer()
    yield server
    server.stop()


def _wait_until(condition: Callable[[], bool], *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"Timed out after {timeout}s waiting until {what}")


def _concern_form() -> dict[str, object]:
    glostrup = Municipality.objects.get(code="161")
    return {
        "municipality": glostrup.pk,
        "subject_kind": SubjectKind.PERSON,
        "full_name": "Test-Ida Nyberg",
        "birth_date": "",
        "cpr_number": "",
        "school": Unit.objects.get(name="Glostrup Skole, afdeling Vestervang").pk,
        "subject_description": "",
        "category": ConcernCategory.objects.get(municipality=glostrup, name="Kriminalitet").pk,
        "description": "Set med en ny knallert uden nummerplade flere aftener i træk.",
        "observed_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "location": "Ved hallen",
        "urgency": "normal",
        "notification_status": NotificationStatus.NOT_RELEVANT,
        "notified_by": "",
        "notified_on": "",
        "submission_token": str(uuid.uuid4()),
    }


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_concern_logged_while_the_mail_server_is_down_is_mailed_once_it_is_back(
    smtp_server: SmtpServer,
) -> None:
    """Nothing is mocked: Django's SMTP backend in a real worker on the real broker, and a
    real SMTP server that is not listening when the concern is logged."""
    if not Municipality.objects.filter(code="161").exists():
        # A transactional test starts empty once an earlier one has flushed the database.
        with mock.patch.object(outbox, "_enqueue", deliver_in_process):
            call_command("seed_demo", stdout=io.StringIO())
    personas: Personas = load_personas()
    celery_app.control.purge()
    db = settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    env = {
        "DATABASE_URL": f"postgres://{auth}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_server.port),
        "EMAIL_RETRY_BACKOFF_SECONDS": "1",
        "EMAIL_MAX_ATTEMPTS": "50",
    }
    client = Client()
    client.force_login(personas.club)
    started = OutgoingEmail.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    def ours() -> list[OutgoingEmail]:
        return list(OutgoingEmail.objects.filter(pk__gt=started))

    with running_worker(env=env):
        response = client.post("/bekymringer/ny/", _concern_form())
        _wait_until(
            lambda: bool(ours()) and all(row.attempts >= 2 for row in ours()),
            timeout=45,
            what="the worker has tried each email twice against the dead mail server",
        )
        assert smtp_server.messages() == []
        smtp_server.start()
        _wait_until(
            lambda: all(row.status == OutgoingEmailStatus.SENT for row in ours()),
            timeout=45,
            what="every email is sent once the mail server is back",
        )
        time.sleep(2)  # a duplicate, had there been one, would have arrived by now

    assert response.status_code == 302, "the request succeeds while the mail server is down"
    expected = sorted([personas.consultant.email, personas.leader.email])
    assert sorted(row.to for row in ours()) == expected
    received = Counter(r for message in smtp_server.messages() for r in message.recipients)
    assert received == Counter(dict.fromkeys(expected, 1)), "each email arrives exactly once"
    assert {m.message["Subject"] for m in smtp_server.messages()} == {
        f"{settings.SSP_SITE_NAME}: Ny bekymring"
    }
