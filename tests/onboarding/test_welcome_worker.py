"""A welcome delivered by a real Celery worker on the real Redis broker: the seat commits, the
task is enqueued after the commit, the worker mails the newcomer and the body's chair once,
and the same task sent again mails no one."""

from __future__ import annotations

import email
import time
from pathlib import Path

import pytest
from django.conf import settings

from forum import services as forum_services
from forum.models import BodyKind, MembershipRole, Municipality, PoliceDistrict
from onboarding.models import Welcome, WelcomeStatus
from onboarding.tasks import deliver_welcome
from ssp.celery import app as celery_app
from ssp.models import OutgoingEmail, OutgoingEmailStatus, Sector, User
from tests.celery_worker import running_worker

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

DELIVERY_TIMEOUT = 45


def _worker_env(mail_dir: Path) -> dict[str, str]:
    db = settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return {
        "DATABASE_URL": f"postgres://{auth}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
    }


def _messages(mail_dir: Path) -> list[email.message.Message]:
    found = []
    for path in mail_dir.iterdir():
        for chunk in path.read_text(encoding="utf-8", errors="replace").split("-" * 79):
            if "Message-ID:" in chunk:
                found.append(email.message_from_string(chunk.lstrip()))
    return found


def _wait_until(sent: int) -> None:
    deadline = time.monotonic() + DELIVERY_TIMEOUT
    while time.monotonic() < deadline:
        if OutgoingEmail.objects.filter(status=OutgoingEmailStatus.SENT).count() >= sent:
            return
        time.sleep(0.2)
    raise AssertionError("the welcome was not delivered in time")


def test_a_real_worker_sends_the_welcome_once(tmp_path: Path) -> None:
    celery_app.control.purge()
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    district = PoliceDistrict.objects.create(name="Velkomstkredsen")
    municipality = Municipality.objects.create(
        name="Velkomstkommune", code="997", police_district=district
    )
    council = forum_services.body_create(
        kind=BodyKind.LOKALRAAD,
        name="Lokalrådet i Velkomstkommune",
        municipality=municipality,
        purpose="Leder det kriminalpræventive arbejde.",
    )
    admin = User.objects.create_user(
        "velkomstadmin@test.ssp", password="x", full_name="A A", sector=Sector.OTHER
    )
    chair = forum_services.person_create(
        municipality=municipality, full_name="Carla Formand", sector=Sector.SOCIAL,
        email="carla@velkomst.test",
    )  # fmt: skip
    forum_services.membership_add(body=council, person=chair, role=MembershipRole.CHAIR, by=None)
    newcomer = forum_services.person_create(
        municipality=municipality, full_name="Niels Ny", sector=Sector.SCHOOL,
        email="niels@velkomst.test",
    )  # fmt: skip

    with running_worker(env=_worker_env(mail_dir)):
        forum_services.membership_add(body=council, person=newcomer, by=admin)
        _wait_until(sent=2)
        welcome = Welcome.objects.get(person=newcomer)
        deliver_welcome.delay(welcome.pk)
        time.sleep(3)

    welcome.refresh_from_db()
    assert welcome.status == WelcomeStatus.SENT
    messages = _messages(mail_dir)
    assert sorted(m["To"] for m in messages) == ["carla@velkomst.test", "niels@velkomst.test"]
    package = next(m for m in messages if m["To"] == "niels@velkomst.test")
    assert "Leder det kriminalpr" in str(package.get_payload(decode=False))
    assert not Welcome.objects.filter(person=chair).exists(), "a system change welcomes no one"
