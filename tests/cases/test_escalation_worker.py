"""The escalation ladder run by a real Celery worker on the real Redis broker: a step fires
once after its deadline, and running the job again (as beat does every minute) sends nothing
more. The worker writes its emails with Django's file backend; the test counts them."""

from __future__ import annotations

import email
import time
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone

from cases import services, tasks
from cases.models import ConcernEscalation, EscalationScope
from ssp.celery import app as celery_app
from ssp.models import OutgoingEmail, OutgoingEmailStatus, Sector
from tests.celery_worker import running_worker
from tests.factories import AffiliationFactory, ConcernFactory, MunicipalityFactory
from tests.mail import file_mail_worker_env

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

TIMEOUT = 60
ESCALATED = "venter på visitation"


def _worker_env(mail_dir: Path) -> dict[str, str]:
    return file_mail_worker_env(mail_dir)


def _received(mail_dir: Path) -> Counter[tuple[str, str]]:
    """(recipient, subject) of every email the worker wrote."""
    received: Counter[tuple[str, str]] = Counter()
    for path in mail_dir.iterdir():
        for chunk in path.read_text(encoding="utf-8", errors="replace").split("-" * 79):
            if "Message-ID:" in chunk:
                message = email.message_from_string(chunk.lstrip())
                subject = str(
                    email.header.make_header(email.header.decode_header(message["Subject"]))
                )
                received[(message["To"], subject)] += 1
    return received


def _wait_until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"Timed out after {TIMEOUT}s waiting until {what}")


def _runs(log: str) -> int:
    return sum(
        1
        for line in log.splitlines()
        if "cases.tasks.escalate_concerns[" in line and "succeeded" in line
    )


def test_the_worker_escalates_once_after_the_deadline_and_never_again(tmp_path: Path) -> None:
    celery_app.control.purge()
    OutgoingEmail.objects.all().delete()
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    municipality = MunicipalityFactory()
    consultants = [
        AffiliationFactory(
            municipality=municipality, is_ssp_consultant=True, user__sector=Sector.SSP_SECRETARIAT
        ).user
        for _ in range(2)
    ]
    ten_days_ago = timezone.now() - timedelta(days=10)
    with time_machine.travel(ten_days_ago, tick=False):
        services.escalation_step_add(
            municipality=municipality,
            applies_to=EscalationScope.ALL,
            after_working_days=1,
            by_sms=False,
            by=consultants[0],
        )
    with time_machine.travel(ten_days_ago + timedelta(minutes=1), tick=False):
        overdue = ConcernFactory(municipality=municipality)
    fresh = ConcernFactory(municipality=municipality)  # its working day has not passed

    with running_worker(env=_worker_env(mail_dir)) as worker:
        # Each submission enqueued a run after its commit; beat adds one a minute.
        tasks.escalate_concerns.delay()
        _wait_until(
            lambda: (
                ConcernEscalation.objects.filter(concern=overdue).exists()
                and not OutgoingEmail.objects.exclude(status=OutgoingEmailStatus.SENT).exists()
            ),
            "the overdue concern's step has fired and its emails are delivered",
        )
        tasks.escalate_concerns.delay()
        tasks.escalate_concerns.delay()
        _wait_until(lambda: _runs(worker.log()) >= 5, "the worker has run the job five times")
        time.sleep(1)  # an email wrongly queued by the last runs would be delivered by now

    escalated = {
        to: count for (to, subject), count in _received(mail_dir).items() if ESCALATED in subject
    }
    assert escalated == {user.email: 1 for user in consultants}
    fired = ConcernEscalation.objects.filter(concern__municipality=municipality)
    assert list(fired.values_list("concern_id", flat=True)) == [overdue.pk]
    assert not ConcernEscalation.objects.filter(concern=fresh).exists()
