"""Reminders delivered by a real Celery worker on the real Redis broker (not eager mode):
delivery, no duplicate on a double sweep, and recovery after the worker is killed mid-task.

The worker runs in a subprocess on the test database and writes its emails with Django's
file backend into a temporary directory, where the test counts them.
"""

from __future__ import annotations

import email
import os
import signal
import time
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from forum import services as forum_services
from forum.models import BodyKind, Municipality, PoliceDistrict
from meetings import reminders
from meetings.models import ReminderKind
from ssp import tasks
from ssp.celery import app as celery_app
from ssp.models import OutgoingEmail, OutgoingEmailStatus, Reminder, ReminderStatus, User
from ssp.notify import mail as mail_outbox
from tests.celery_worker import running_worker
from tests.mail import file_mail_worker_env

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

REQUEUE_AFTER_SECONDS = 3
# Bounded waits: the machine is small and shared, so generous, but a hang still fails.
DELIVERY_TIMEOUT = 45


def _worker_env(mail_dir: Path) -> dict[str, str]:
    return {
        **file_mail_worker_env(mail_dir),
        "REMINDER_REQUEUE_AFTER_SECONDS": str(REQUEUE_AFTER_SECONDS),
        "EMAIL_REQUEUE_AFTER_SECONDS": str(REQUEUE_AFTER_SECONDS),
    }


@pytest.fixture
def mail_dir(tmp_path: Path) -> Path:
    path = tmp_path / "mail"
    path.mkdir()
    return path


@pytest.fixture(autouse=True)
def _empty_queue_and_requeue_setting(settings) -> None:  # type: ignore[no-untyped-def]
    # A message left in this Redis database by an earlier run must not be sent by our worker.
    celery_app.control.purge()
    settings.REMINDER_REQUEUE_AFTER_SECONDS = REQUEUE_AFTER_SECONDS


def _due_reminders(count: int) -> list[User]:
    """`count` users, each with one reminder (plan the Følgegruppe's January meeting) that
    was due a minute ago. Nothing else is in the table (a transactional test may start from
    the seeded demo)."""
    Reminder.objects.all().delete()
    OutgoingEmail.objects.all().delete()
    district = PoliceDistrict.objects.create(name="Testkredsen for påmindelser")
    municipality = Municipality.objects.create(
        name="Påmindelseskommune", code="999", police_district=district
    )
    council = forum_services.body_create(
        kind=BodyKind.LOKALRAAD, name="Lokalrådet i Påmindelseskommune", municipality=municipality
    )
    group = forum_services.body_create(
        kind=BodyKind.FOELGEGRUPPE,
        name="SSP-Følgegruppen Påmindelse",
        municipality=municipality,
        parent=council,
    )
    users = [
        User.objects.create_user(f"modtager{i:03}@test.ssp", password="x", full_name=f"M {i}")
        for i in range(count)
    ]
    a_minute_ago = timezone.now() - timedelta(minutes=1)
    Reminder.objects.bulk_create(
        Reminder(
            kind=ReminderKind.FOLLOW_GROUP_CYCLE,
            object_type=reminders.BODY_TYPE,
            object_id=group.pk,
            recipient=user,
            due_at=a_minute_ago,
            send_at=a_minute_ago,
        )
        for user in users
    )
    return users


def _sent_to(mail_dir: Path) -> Counter[str]:
    """How many emails each address got, read from the file backend's files (one file per
    connection, messages separated by a line of dashes; each has one Message-ID)."""
    received: Counter[str] = Counter()
    for path in mail_dir.iterdir():
        text = path.read_text(encoding="utf-8", errors="replace")
        for chunk in text.split("-" * 79):
            if "Message-ID:" in chunk:
                assert chunk.count("Message-ID:") == 1
                received[email.message_from_string(chunk.lstrip())["To"]] += 1
    return received


def _wait_until(
    condition: Callable[[], bool], *, timeout: float, what: str, poll: float = 0.1
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(poll)
    raise AssertionError(f"Timed out after {timeout}s waiting until {what}")


def _succeeded(log: str) -> int:
    return sum(
        1
        for line in log.splitlines()
        if "ssp.tasks.send_reminders[" in line and "succeeded" in line
    )


def _statuses() -> Counter[str]:
    return Counter(Reminder.objects.values_list("status", flat=True))


def _all_sent(count: int) -> Callable[[], bool]:
    """Every reminder marked sent, and each email the reminders queued in the mail outbox
    delivered by the worker too."""
    return lambda: (
        _statuses() == Counter({ReminderStatus.SENT: count})
        and Counter(OutgoingEmail.objects.values_list("status", flat=True))
        == Counter({OutgoingEmailStatus.SENT: count})
    )


def test_worker_delivers_each_due_reminder_once(mail_dir: Path) -> None:
    users = _due_reminders(8)

    with running_worker(env=_worker_env(mail_dir)):
        claimed = tasks.dispatch_reminders()
        _wait_until(_all_sent(8), timeout=DELIVERY_TIMEOUT, what="all 8 reminders are sent")

    assert claimed == 8
    assert _sent_to(mail_dir) == Counter({user.email: 1 for user in users})
    assert all(r.sent_at is not None for r in Reminder.objects.all())


def test_double_sweep_and_repeated_send_task_send_nothing_twice(mail_dir: Path) -> None:
    users = _due_reminders(8)

    with running_worker(env=_worker_env(mail_dir)) as worker:
        first = tasks.dispatch_reminders()
        second = tasks.dispatch_reminders()
        # The same batch handed to the workers twice more, as a redelivered message would be.
        ids = list(Reminder.objects.values_list("pk", flat=True))
        tasks.send_reminders.delay(ids)
        tasks.send_reminders.delay(ids)
        _wait_until(_all_sent(8), timeout=DELIVERY_TIMEOUT, what="all 8 reminders are sent")
        # Let the repeated tasks finish too before counting.
        _wait_until(
            lambda: _succeeded(worker.log()) == 3,
            timeout=DELIVERY_TIMEOUT,
            what="the worker has run the dispatched batch and both repeats",
        )

    assert (first, second) == (8, 0)
    assert _sent_to(mail_dir) == Counter({user.email: 1 for user in users})


def test_worker_killed_mid_batch_loses_nothing_and_repeats_at_most_the_email_in_flight(
    mail_dir: Path,
) -> None:
    """SIGKILL leaves the killed task's message unacknowledged in Redis (it comes back only
    after the visibility timeout) and its rows waiting: reminders queued, emails pending in
    the mail outbox. Beat's dispatcher claims the reminders again after
    REMINDER_REQUEUE_AFTER_SECONDS and the mail sweep hands the emails over again after
    EMAIL_REQUEUE_AFTER_SECONDS. Each reminder and each email commits on its own, so the only
    possible duplicate is the one email the file backend had written when the kill came
    before its commit."""
    count = 60
    users = _due_reminders(count)
    env = _worker_env(mail_dir)

    with running_worker(env=env) as worker:
        tasks.dispatch_reminders()
        _wait_until(lambda: any(mail_dir.iterdir()), timeout=DELIVERY_TIMEOUT, what="a first email")
        os.kill(worker.process.pid, signal.SIGKILL)
        worker.process.wait(timeout=10)
    at_kill = _statuses()
    emails_at_kill = Counter(OutgoingEmail.objects.values_list("status", flat=True))

    # Killed mid-run: something was still waiting to be sent.
    assert emails_at_kill[OutgoingEmailStatus.SENT] < count
    assert set(at_kill) <= {ReminderStatus.SENT, ReminderStatus.QUEUED}
    assert set(emails_at_kill) <= {OutgoingEmailStatus.SENT, OutgoingEmailStatus.PENDING}

    with running_worker(env=env):
        time.sleep(REQUEUE_AFTER_SECONDS + 0.5)
        tasks.dispatch_reminders()
        _wait_until(
            lambda: _statuses() == Counter({ReminderStatus.SENT: count}),
            timeout=DELIVERY_TIMEOUT,
            what=f"all {count} reminders are handed to the mail outbox",
        )
        time.sleep(REQUEUE_AFTER_SECONDS + 0.5)
        mail_outbox.emails_sweep()  # what beat does every minute
        _wait_until(
            _all_sent(count), timeout=DELIVERY_TIMEOUT, what=f"all {count} reminders are sent"
        )

    received = _sent_to(mail_dir)
    assert set(received) == {user.email for user in users}, "a reminder was lost"
    repeated = {address: n for address, n in received.items() if n > 1}
    assert len(repeated) <= 1, f"more than the one email in flight was repeated: {repeated}"
    assert set(repeated.values()) <= {2}, f"an email was sent more than twice: {repeated}"
