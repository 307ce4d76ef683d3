"""A year-wheel reminder delivered by a real Celery worker on the real Redis broker: the
dispatcher claims it, the worker asks the board whether the item is still not ready, sends
one content-free email through the outbox, and a second dispatch sends nothing more."""

from __future__ import annotations

import email
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from forum import services as forum_services
from forum.models import BodyKind, Municipality, PoliceDistrict
from prevention.org_wheel_reminders import MUNICIPALITY_TYPE
from ssp import tasks
from ssp.celery import app as celery_app
from ssp.models import OutgoingEmail, OutgoingEmailStatus, Reminder, ReminderStatus, Sector, User
from tests.celery_worker import running_worker
from tests.mail import file_mail_messages, file_mail_worker_env

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

DELIVERY_TIMEOUT = 45


def _worker_env(mail_dir: Path) -> dict[str, str]:
    return file_mail_worker_env(mail_dir)


def _messages(mail_dir: Path) -> list[email.message.Message]:
    return file_mail_messages(mail_dir)


def _wait_until_sent() -> None:
    deadline = time.monotonic() + DELIVERY_TIMEOUT
    while time.monotonic() < deadline:
        reminder = Reminder.objects.get(object_type=MUNICIPALITY_TYPE)
        delivered = OutgoingEmail.objects.filter(status=OutgoingEmailStatus.SENT).count()
        if reminder.status == ReminderStatus.SENT and delivered == 1:
            return
        time.sleep(0.2)
    raise AssertionError("the year-wheel reminder was not delivered in time")


def test_a_real_worker_sends_the_april_forum_reminder_once(tmp_path: Path) -> None:
    celery_app.control.purge()
    Reminder.objects.all().delete()
    OutgoingEmail.objects.all().delete()
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    district = PoliceDistrict.objects.create(name="Testkredsen for årshjulet")
    municipality = Municipality.objects.create(
        name="Hjulkommune", code="998", police_district=district
    )
    council = forum_services.body_create(
        kind=BodyKind.LOKALRAAD, name="Lokalrådet i Hjulkommune", municipality=municipality
    )
    group = forum_services.body_create(
        kind=BodyKind.FOELGEGRUPPE, name="Hjul-Følgen", municipality=municipality, parent=council
    )
    forum_services.body_create(
        kind=BodyKind.SSP_FORUM, name="SSP-Forum Hjulkommune", municipality=municipality,
        parent=group,
    )  # fmt: skip
    consultant = User.objects.create_user(
        "hjulkonsulent@test.ssp", password="x", full_name="H K", sector=Sector.SSP_SECRETARIAT
    )
    forum_services.affiliation_set(
        user=consultant, municipality=municipality, is_ssp_consultant=True, by=None
    )
    # The forum has no April meeting, whatever the date the test runs on.
    a_minute_ago = timezone.now() - timedelta(minutes=1)
    Reminder.objects.create(
        kind="yw_forum_april",
        object_type=MUNICIPALITY_TYPE,
        object_id=municipality.pk,
        recipient=consultant,
        due_at=a_minute_ago,
        send_at=a_minute_ago,
    )

    with running_worker(env=_worker_env(mail_dir)):
        claimed = tasks.dispatch_reminders()
        _wait_until_sent()
        again = tasks.dispatch_reminders()

    assert (claimed, again) == (1, 0)
    messages = _messages(mail_dir)
    assert [m["To"] for m in messages] == [consultant.email]
    body = messages[0].get_payload(decode=False)
    assert "SSP-Forum Hjulkommune" in str(body)
    assert f"/forebyggelse/aarshjul/{municipality.pk}/parathed/" in str(body)
