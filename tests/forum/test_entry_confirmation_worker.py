"""The spring confirmation's daily job on a real Celery worker and the real Redis broker: run
twice, it mails each actor once, and each mail is the link alone."""

from __future__ import annotations

import email
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from forum import confirmations
from forum import services as forum_services
from forum.models import BodyKind, Municipality, PoliceDistrict
from forum.tasks import run_entry_confirmations
from ssp.celery import app as celery_app
from ssp.models import OutgoingEmail, OutgoingEmailStatus
from tests.celery_worker import running_worker

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

DELIVERY_TIMEOUT = 60
ACTORS = {
    "ane@vaerk.test": "Ane Aktør",
    "bo@vaerk.test": "Bo Aktør",
    "cai@vaerk.test": "Cai Aktør",
}


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


def _wait_for(condition: object, what: str) -> None:
    deadline = time.monotonic() + DELIVERY_TIMEOUT
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.2)
    raise AssertionError(f"{what} did not happen in time")


def test_a_real_worker_mails_each_actor_once_when_the_job_runs_twice(tmp_path: Path) -> None:
    celery_app.control.purge()
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    district = PoliceDistrict.objects.create(name="Testkredsen for bekræftelser")
    municipality = Municipality.objects.create(
        name="Værkkommune", code="997", police_district=district
    )
    council = forum_services.body_create(
        kind=BodyKind.LOKALRAAD, name="Lokalrådet i Værkkommune", municipality=municipality
    )
    for address, name in ACTORS.items():
        person = forum_services.person_create(
            municipality=municipality, full_name=name, sector="other", email=address
        )
        forum_services.membership_add(body=council, person=person, by=None)
    confirmation_round = confirmations.round_open(
        municipality=municipality, year=timezone.localdate().year
    )
    confirmation_round.closes_on = timezone.localdate() + timedelta(days=10)
    confirmation_round.save(update_fields=["closes_on"])

    def delivered() -> int:
        return OutgoingEmail.objects.filter(to__in=ACTORS, status=OutgoingEmailStatus.SENT).count()

    with running_worker(env=_worker_env(mail_dir)) as worker:
        run_entry_confirmations.delay()
        run_entry_confirmations.delay()
        _wait_for(lambda: worker.log().count("run_entry_confirmations") >= 4, "two runs")
        _wait_for(lambda: delivered() == len(ACTORS), "the delivery")
        # Give a wrongly queued second mail the time to go out too.
        time.sleep(2)

    messages = [m for m in _messages(mail_dir) if m["To"] in ACTORS]
    assert sorted(m["To"] for m in messages) == sorted(ACTORS)
    assert OutgoingEmail.objects.filter(to__in=ACTORS).count() == len(ACTORS)
    for message in messages:
        body = str(message.get_payload(decode=False))
        assert "/organisation/bekraeft/" in body
        assert ACTORS[message["To"]] not in body, "the mail names its actor"
