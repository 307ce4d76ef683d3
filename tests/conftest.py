"""Shared fixtures: the seeded demo organisation and its personas.

Each pytest-xdist worker gets its own Redis databases, cache prefix and Celery control
exchange, so a Celery worker started by one test never answers another's. pytest-django has
loaded the settings before this file runs, so the values are applied twice: to the settings of
this process, and to the environment that the Celery worker subprocesses inherit.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from unittest import mock

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.client import ClientMixin
from django.utils import translation

from forum import logins as held_logins
from ssp.celery import app as celery_app
from ssp.db_roles import LOGIN_KEYS, owner_login, split_roles
from ssp.models import User
from ssp.notify import mail as mail_outbox
from ssp.two_factor import SECOND_FACTOR_SESSION_KEY, SecondFactor
from tests.celery_worker import WorkerProcess, running_worker
from tests.mail import deliver_held_logins_in_process, deliver_in_process
from tests.personas import Personas, load_personas


def _isolate_this_test_worker() -> None:
    name = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    index = int(name.removeprefix("gw") or 0) if name.startswith("gw") else 0
    # One Redis server by default; SSP_TEST_REDIS names another (say one per checkout, so two
    # checkouts on one machine can run the suite at once without sharing queues).
    server = os.environ.get("SSP_TEST_REDIS", "redis://127.0.0.1:6379").rstrip("/")
    values = {
        "CELERY_BROKER_URL": f"{server}/{2 + 2 * (index % 7)}",
        "REDIS_URL": f"{server}/{3 + 2 * (index % 7)}",
        "CACHE_KEY_PREFIX": f"ssp-test-{name}",
        "CELERY_CONTROL_EXCHANGE": f"ssp-test-{name}",
    }
    for key, value in values.items():
        # xdist workers inherit the controller's environment, these defaults included:
        # replace a value this function set, keep one the developer set.
        if os.environ.get(key) in (None, os.environ.get(f"SSP_TEST_DEFAULT_{key}")):
            os.environ[key] = os.environ[f"SSP_TEST_DEFAULT_{key}"] = value
        values[key] = os.environ[key]
    override_settings(
        CELERY_BROKER_URL=values["CELERY_BROKER_URL"],
        CELERY_CONTROL_EXCHANGE=values["CELERY_CONTROL_EXCHANGE"],
        REDIS_URL=values["REDIS_URL"],
        CACHES={
            "default": {
                **settings.CACHES["default"],
                "LOCATION": values["REDIS_URL"],
                "KEY_PREFIX": values["CACHE_KEY_PREFIX"],
            }
        },
    ).enable()
    celery_app.conf.update(
        broker_url=values["CELERY_BROKER_URL"],
        control_exchange=values["CELERY_CONTROL_EXCHANGE"],
    )


_isolate_this_test_worker()
# Playwright's sync API runs an event loop in the test thread; the ORM calls made by the
# tests themselves (not by the server) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Tests hash passwords with MD5: fast, and never used outside the test database.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# The runtime role's login, kept while the owner creates the test database (two roles only).
_RUNTIME_LOGIN: dict[str, object] = {}


def _log_in_as(login: dict[str, object]) -> None:
    connection.close()
    connection.settings_dict.update(login)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix) -> None:  # type: ignore[no-untyped-def]
    """With two database roles (ssp/db_roles.py) the owner creates, migrates and at the end
    drops the test database, and the tests run as the runtime role, as the app does."""
    if split_roles():
        _RUNTIME_LOGIN.update({key: connection.settings_dict.get(key) for key in LOGIN_KEYS})
        _log_in_as(owner_login())


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """Seed the demo organisation once per test database; each test rolls back on top of it."""
    with django_db_blocker.unblock():
        if _RUNTIME_LOGIN:
            _log_in_as(_RUNTIME_LOGIN)
        with (
            override_settings(PASSWORD_HASHERS=FAST_HASHERS),
            # The demo's invitations are delivered here, not left on the broker for a test's
            # worker.
            mock.patch.object(mail_outbox, "_enqueue", deliver_in_process),
        ):
            call_command("seed_demo", stdout=io.StringIO())
    yield
    if _RUNTIME_LOGIN:
        with django_db_blocker.unblock():
            _log_in_as(owner_login())  # Only the owner may drop the test database.


@pytest.fixture(autouse=True)
def _fast_passwords(settings) -> None:  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(autouse=True)
def _language_of_each_test_its_own() -> Iterator[None]:
    """The locale middleware activates the request's language for the thread, and nothing
    deactivates it after a test client's request: a test that asked for English would leave
    English on for the next test's emails and reminders, which run outside any request."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _force_login_proves_both_factors(monkeypatch: pytest.MonkeyPatch) -> None:
    """`client.force_login(user)` gives a session as after both sign-in steps (password and
    authenticator code), which is what tests of signed-in pages mean by it. The sign-in steps
    themselves are tested through the real forms (tests/ssp/test_two_factor.py)."""
    original = ClientMixin._login

    def login_with_second_factor(self: ClientMixin, user: User, backend: str | None = None) -> None:
        original(self, user, backend)
        session = self.session
        session[SECOND_FACTOR_SESSION_KEY] = SecondFactor.TOTP.value
        session.save()

    monkeypatch.setattr(ClientMixin, "_login", login_with_second_factor)


@pytest.fixture(autouse=True)
def _mail_delivered_in_process(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Emails queued in the outbox are delivered to Django's test outbox when the transaction
    commits, by this process instead of a worker. Tests with a real worker keep the broker."""
    if request.node.get_closest_marker("celery_worker") is None:
        monkeypatch.setattr(mail_outbox, "_enqueue", deliver_in_process)
        # Likewise the held logins an administrator sent (forum/logins.py).
        monkeypatch.setattr(held_logins, "_enqueue", deliver_held_logins_in_process)


@pytest.fixture
def personas(db) -> Personas:  # type: ignore[no-untyped-def]
    return load_personas()


@pytest.fixture
def celery_worker_process() -> Iterator[WorkerProcess]:
    """A real Celery worker on this test worker's Redis broker, stopped after the test."""
    with running_worker() as worker:
        yield worker
