"""django-axes locks an account after repeated failed logins, for a while, and only that account.

Axes keeps its counts in `axes.AccessAttempt` rows, so each test's rollback starts it afresh.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.utils import timezone

from tests.personas import DEMO_PASSWORD, Personas
from tests.two_factor import sign_in

pytestmark = pytest.mark.django_db

LOCKOUT_MESSAGE = "midlertidigt spærret"
WRONG_PASSWORD = "forkert-kodeord-123"


def _log_in(client: Client, email: str, password: str = DEMO_PASSWORD):  # type: ignore[no-untyped-def]
    return client.post("/log-ind/", {"username": email, "password": password})


def _fail(email: str, times: int) -> list[int]:
    """Fail to log in `times` times, each from a fresh browser; return the status codes."""
    return [_log_in(Client(), email, WRONG_PASSWORD).status_code for _ in range(times)]


def _is_signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_failure_limit_is_five_by_default() -> None:
    assert settings.AXES_FAILURE_LIMIT == 5


def test_failures_below_the_limit_only_show_the_wrong_password_message(
    personas: Personas,
) -> None:
    statuses = _fail(personas.consultant.email, settings.AXES_FAILURE_LIMIT - 1)

    assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1)


def test_account_is_locked_after_the_failure_limit_even_with_the_right_password(
    personas: Personas,
) -> None:
    statuses = _fail(personas.consultant.email, settings.AXES_FAILURE_LIMIT)
    client = Client()

    response = _log_in(client, personas.consultant.email, DEMO_PASSWORD)

    # The failure that reaches the limit is itself answered with the lockout page.
    assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    assert response.status_code == 429
    content = response.content.decode()
    assert LOCKOUT_MESSAGE in content
    assert f"{settings.AXES_FAILURE_LIMIT} mislykkede forsøg" in content
    assert not _is_signed_in(client), "a locked account must not be signed in"


def test_lockout_page_says_how_long_the_account_is_locked(personas: Personas) -> None:
    _fail(personas.consultant.email, settings.AXES_FAILURE_LIMIT)

    response = _log_in(Client(), personas.consultant.email)

    hours = int(settings.AXES_COOLOFF_TIME.total_seconds() // 3600)
    assert f"spærret i {hours} timer" in response.content.decode()


def test_a_correct_login_below_the_limit_succeeds_and_resets_the_count(
    personas: Personas,
) -> None:
    email = personas.consultant.email
    _fail(email, settings.AXES_FAILURE_LIMIT - 1)
    client = Client()

    response = sign_in(client, email)

    assert response.status_code == 302
    assert _is_signed_in(client)
    assert not AccessAttempt.objects.filter(username=email).exists()
    # With the count reset, as many failures again still do not lock the account.
    assert _fail(email, settings.AXES_FAILURE_LIMIT - 1) == [200] * (
        settings.AXES_FAILURE_LIMIT - 1
    )
    assert _log_in(Client(), email).status_code == 302


def test_lockout_is_per_account(personas: Personas) -> None:
    _fail(personas.consultant.email, settings.AXES_FAILURE_LIMIT)
    client = Client()

    response = sign_in(client, personas.leader.email)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(personas.leader.pk)
    assert _log_in(Client(), personas.consultant.email).status_code == 429


def test_failures_count_whatever_the_case_of_the_typed_email(personas: Personas) -> None:
    email = personas.consultant.email
    # A differently capitalised address for every failure: "Konsulent@…", "kOnsulent@…", …
    variants = [email[:i] + email[i].upper() + email[i + 1 :] for i in range(len(email))]
    variants = variants[: settings.AXES_FAILURE_LIMIT]
    assert len(set(variants)) == settings.AXES_FAILURE_LIMIT

    for variant in variants:
        _log_in(Client(), variant, WRONG_PASSWORD)
    client = Client()
    response = _log_in(client, email)

    assert response.status_code == 429, "changing the email's case must not dodge the lockout"
    assert not _is_signed_in(client)


def test_failure_limit_is_configurable(personas: Personas, settings) -> None:  # type: ignore[no-untyped-def]
    settings.AXES_FAILURE_LIMIT = 3

    statuses = _fail(personas.consultant.email, 3)
    response = _log_in(Client(), personas.consultant.email)

    assert statuses == [200, 200, 429]
    assert response.status_code == 429
    assert "3 mislykkede forsøg" in response.content.decode()


def test_account_can_log_in_again_after_the_cool_off(personas: Personas) -> None:
    email = personas.consultant.email
    _fail(email, settings.AXES_FAILURE_LIMIT)
    assert _log_in(Client(), email).status_code == 429
    # Axes counts only failures newer than the cool-off; move the last one past it.
    AccessAttempt.objects.filter(username=email).update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(minutes=1)
    )
    client = Client()

    response = sign_in(client, email)

    assert response.status_code == 302
    assert _is_signed_in(client)


def test_account_stays_locked_until_the_cool_off_has_passed(personas: Personas) -> None:
    email = personas.consultant.email
    _fail(email, settings.AXES_FAILURE_LIMIT)
    AccessAttempt.objects.filter(username=email).update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME + timedelta(minutes=5)
    )
    client = Client()

    response = _log_in(client, email)

    assert response.status_code == 429
    assert not _is_signed_in(client)


def test_cool_off_time_is_configurable(personas: Personas, settings) -> None:  # type: ignore[no-untyped-def]
    settings.AXES_COOLOFF_TIME = timedelta(hours=1)
    email = personas.consultant.email
    _fail(email, settings.AXES_FAILURE_LIMIT)
    AccessAttempt.objects.filter(username=email).update(
        attempt_time=timezone.now() - timedelta(hours=1, minutes=1)
    )

    response = _log_in(Client(), email)

    assert response.status_code == 302


def test_default_lockout_lasts_24_hours() -> None:
    assert timedelta(hours=24) == settings.AXES_COOLOFF_TIME


def test_choosing_a_new_password_through_the_emailed_link_lifts_the_lock(
    client: Client, personas, mailoutbox
) -> None:
    user = personas.consultant
    for _ in range(5):
        client.post("/log-ind/", {"username": user.email, "password": "forkert"})
    assert client.post("/log-ind/", {"username": user.email, "password": "demo"}).status_code == 429

    client.post("/glemt-adgangskode/", {"email": user.email})
    link = re.search(r"https?://[^/\s]+(/ny-adgangskode/\S+/)", mailoutbox[0].body).group(1)
    form_url = client.get(link).url
    new_password = "Ny-og-lang-adgangskode-2026"
    response = client.post(form_url, {"new_password1": new_password, "new_password2": new_password})
    assert response.status_code == 302

    login = sign_in(client, user.email, new_password)
    assert login.status_code == 302
    assert login.url == "/"
