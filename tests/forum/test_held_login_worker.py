"""Held logins sent on a real Celery worker and the real Redis broker: the request queues them,
the worker gives each its account and mails the password link once, even with every task
handed over twice (as the sweep would after a lost task)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from forum import logins
from forum import services as forum_services
from forum.login_models import HeldLogin
from forum.models import Affiliation, Municipality, PoliceDistrict
from forum.tasks import deliver_held_login
from ssp.celery import app as celery_app
from ssp.models import OutgoingEmail, OutgoingEmailStatus, User
from tests.celery_worker import running_worker
from tests.factories import UserFactory
from tests.mail import file_mail_messages, file_mail_worker_env

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

DELIVERY_TIMEOUT = 60
PEOPLE = {"ulla@vaerk.test": "Ulla Import", "viggo@vaerk.test": "Viggo Import"}


def _wait_for(condition: object, what: str) -> None:
    deadline = time.monotonic() + DELIVERY_TIMEOUT
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.2)
    raise AssertionError(f"{what} did not happen in time")


def test_a_real_worker_gives_each_held_login_its_account_and_mails_it_once(
    tmp_path: Path,
) -> None:
    celery_app.control.purge()
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    district = PoliceDistrict.objects.create(name="Testkredsen for invitationer")
    municipality = Municipality.objects.create(
        name="Importkommune", code="996", police_district=district
    )
    admin = UserFactory()
    forum_services.affiliation_set(
        user=admin, municipality=municipality, is_administrator=True, by=None
    )
    for address, name in PEOPLE.items():
        person = forum_services.person_create(
            municipality=municipality, full_name=name, sector="school", email=address
        )
        logins.login_hold(person=person, by=admin)

    with running_worker(env=file_mail_worker_env(mail_dir)):
        result = logins.held_logins_send(municipality=municipality, by=admin)
        for held in HeldLogin.objects.filter(person__municipality=municipality):
            deliver_held_login.delay(held.pk)  # a second hand-over of each
        _wait_for(
            lambda: (
                OutgoingEmail.objects.filter(to__in=PEOPLE, status=OutgoingEmailStatus.SENT).count()
                == len(PEOPLE)
            ),
            "the delivery",
        )
        time.sleep(2)  # the time for a wrongly doubled mail to go out too

    assert len(result.sent) == len(PEOPLE)
    assert not HeldLogin.objects.filter(person__municipality=municipality).exists()
    for address in PEOPLE:
        user = User.objects.get(email=address)
        assert Affiliation.objects.filter(user=user, municipality=municipality).exists()
    messages = [m for m in file_mail_messages(mail_dir) if m["To"] in PEOPLE]
    assert sorted(m["To"] for m in messages) == sorted(PEOPLE)
    assert OutgoingEmail.objects.filter(to__in=PEOPLE).count() == len(PEOPLE)
