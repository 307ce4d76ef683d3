"""Redis down: pages still work, and reminders, emails and ActionCard PDFs are not lost; they go
out once Redis is back.

The test runs its own Redis server on a free port as the app's cache and Celery broker, stops
it, uses the app, and starts it again on the same port. Nothing is mocked: the cache and the
broker really fail to connect.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
import redis
from django.core import mail
from django.db.models import Max
from django.test import Client
from django.utils import timezone

from actioncard import services as actioncard_services
from actioncard.models import Edition, RenderJob, RenderStatus
from forum.models import Body, Municipality, Person
from meetings import reminders
from meetings.models import ReminderKind
from ssp import tasks
from ssp.celery import app as celery_app
from ssp.models import OutgoingEmail, OutgoingEmailStatus, Reminder, ReminderStatus
from ssp.notify import mail as mail_outbox
from ssp.notify.reminders import claim_due, send
from tests.mail import ENQUEUE_TO_BROKER, outbox_delivered
from tests.personas import Personas
from tests.two_factor import sign_in

pytestmark = pytest.mark.django_db


class RedisServer:
    """A throw-away redis-server that can be stopped and started again on its port."""

    def __init__(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        executable = shutil.which("redis-server")
        assert executable, "redis-server is needed (the machine runs Redis for the app)"
        self.process = subprocess.Popen(  # noqa: S603 - our own fixed command
            [executable, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""],
            stdout=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url)
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise AssertionError("the test's Redis did not start")

    def stop(self) -> None:
        assert self.process is not None
        self.process.kill()
        self.process.wait(timeout=10)


@pytest.fixture
def redis_server(settings) -> Iterator[RedisServer]:  # type: ignore[no-untyped-def]
    server = RedisServer()
    server.start()
    previous_broker = celery_app.conf.broker_url
    settings.CACHES = {
        "default": {
            **settings.CACHES["default"],
            "LOCATION": server.url,
            "KEY_PREFIX": "redis-down-test",
        }
    }
    settings.CELERY_BROKER_URL = server.url
    _use_broker(server.url)
    yield server
    if server.process and server.process.poll() is None:
        server.stop()
    _use_broker(previous_broker)


def _use_broker(url: str) -> None:
    """Point Celery's publishing at `url`: its connection and producer pools were made for the
    broker it had, so they are dropped and looked up again for the new one."""
    celery_app.conf.broker_url = celery_app.conf.broker_write_url = url
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def _queue_length(server: RedisServer, queue: str) -> int:
    return redis.Redis.from_url(server.url).llen(queue)


@pytest.mark.parametrize("url", ["/", "/sager/", "/moeder/", "/statistik/", "/handlekort/"])
def test_pages_work_while_redis_is_down(
    client: Client, personas: Personas, redis_server: RedisServer, url: str
) -> None:
    client.force_login(personas.consultant)
    redis_server.stop()

    started = time.monotonic()
    response = client.get(url, follow=True)

    assert response.status_code == 200
    assert time.monotonic() - started < 10, "a dead Redis must not hold a page up"


def test_logging_in_works_while_redis_is_down(
    client: Client, personas: Personas, redis_server: RedisServer
) -> None:
    redis_server.stop()

    signed_in = sign_in(client, "konsulent@demo.ssp")
    response = client.get(signed_in["Location"])

    assert response.status_code == 200
    assert "Log af" in response.content.decode()


def test_an_actioncard_rendering_asked_for_while_redis_is_down_is_made_when_it_is_back(
    client: Client,
    personas: Personas,
    redis_server: RedisServer,
    settings,  # type: ignore[no-untyped-def]
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    edition = actioncard_services.edition_start(
        municipality=Municipality.objects.get(code="161"), year=2031, by=personas.admin
    )
    client.force_login(personas.admin)
    redis_server.stop()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/handlekort/redaktion/{edition.pk}/pdf/", follow=True)

    assert response.status_code == 200
    assert "PDF&#x27;en laves." in response.content.decode()
    job = RenderJob.objects.get(edition=edition)
    assert job.status == RenderStatus.QUEUED

    redis_server.start()  # empty: whatever the broker held is gone
    RenderJob.objects.filter(pk=job.pk).update(enqueued_at=timezone.now() - timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert actioncard_services.render_sweep() == 1
    assert _queue_length(redis_server, "pdf") == 1

    actioncard_services.render_run(job_id=job.pk)  # what the PDF worker does with it
    job.refresh_from_db()
    assert job.status == RenderStatus.DONE
    job.pdf.storage.delete(job.pdf.name)
    assert Edition.objects.get(pk=edition.pk).is_draft


def test_reminders_due_while_redis_is_down_go_out_once_it_is_back(
    personas: Personas,
    redis_server: RedisServer,
    settings,  # type: ignore[no-untyped-def]
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    Reminder.objects.all().delete()
    due = timezone.now() - timedelta(minutes=1)
    group = Body.objects.get(name="SSP-Følgen")
    reminder = Reminder.objects.create(
        kind=ReminderKind.FOLLOW_GROUP_CYCLE,
        object_type=reminders.BODY_TYPE,
        object_id=group.pk,
        recipient=personas.consultant,
        due_at=due,
        send_at=due,
    )
    redis_server.stop()

    # Beat's dispatch claims the row; handing it to a worker fails while Redis is down.
    with pytest.raises(Exception), django_capture_on_commit_callbacks(execute=True):  # noqa: B017, PT011
        tasks.dispatch_reminders()
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.QUEUED

    redis_server.start()
    later = timezone.now() + timedelta(seconds=settings.REMINDER_REQUEUE_AFTER_SECONDS + 60)
    batches = claim_due(later)

    assert batches == [[reminder.pk]], "the claimed row is claimed again, not lost"
    with outbox_delivered():
        assert send(batches[0]) == 1
    assert [message.to for message in mail.outbox] == [[personas.consultant.email]]
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.SENT


def test_an_email_asked_for_while_redis_is_down_is_sent_once_it_is_back(
    client: Client,
    personas: Personas,
    redis_server: RedisServer,
    monkeypatch: pytest.MonkeyPatch,
    mailoutbox,  # type: ignore[no-untyped-def]
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    monkeypatch.setattr(mail_outbox, "_enqueue", ENQUEUE_TO_BROKER)
    person = Person.objects.filter(user=personas.social).first()
    # The demo has mailed her before (the confirmation of her seeded registration for the
    # SSP-Forum, sent): the notice is the one row the reset adds.
    seeded = OutgoingEmail.objects.aggregate(last=Max("pk"))["last"] or 0
    client.force_login(personas.admin)
    redis_server.stop()

    # Resetting a second factor emails the user a notice; the hand-over to Celery fails.
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/organisation/person/{person.pk}/nulstil-totrinslogin/")

    assert response.status_code == 302
    assert time.monotonic() - started < 10, "a dead broker must not hold the request up"
    row = OutgoingEmail.objects.get(pk__gt=seeded)
    assert (row.to, row.status) == (personas.social.email, OutgoingEmailStatus.PENDING)

    redis_server.start()  # empty: whatever the broker held is gone
    with django_capture_on_commit_callbacks(execute=True):
        assert mail_outbox.emails_sweep(row.next_attempt_at) == 1
    assert _queue_length(redis_server, "celery") == 1

    mail_outbox.email_deliver(email_id=row.pk)  # what the worker does with it
    assert [message.to for message in mailoutbox] == [[personas.social.email]]
