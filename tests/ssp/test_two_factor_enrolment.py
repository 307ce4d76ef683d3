"""Two-factor set-up on first sign-in (the work mailbox proven by an emailed code, then the
app), and the emails that tell a user their sign-in changed."""

from __future__ import annotations

import re
import smtplib
from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from forum.models import Person
from ssp.models import AuditAction, AuditEvent, OutgoingEmail, OutgoingEmailStatus, User
from ssp.two_factor import (
    recovery_codes_replace,
    second_factor_reset,
)
from tests.mail import deliver_queued
from tests.personas import Personas
from tests.two_factor import (
    code_for,
    emailed_setup_code,
    password_step,
    prove_email,
    totp_code,
)

pytestmark = pytest.mark.django_db

VERIFY = "/log-ind/kode/"
SETUP = "/log-ind/opsaet-app/"
CODES = "/konto/totrinslogin/"
SECRET = re.compile(r'<code class="two-factor-secret">([A-Z2-7 ]+)</code>')


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def _person(user: User) -> Person:
    return Person.objects.filter(user=user).select_related("municipality").first()


# Guided enrolment on first sign-in.


def test_first_sign_in_sets_up_the_app_then_shows_the_recovery_codes(newcomer: User) -> None:
    client = Client()

    step = password_step(client, newcomer.email)
    prove_email(client, newcomer.email)
    page = client.get(SETUP)
    device = TOTPDevice.objects.get(user=newcomer)
    confirmed = client.post(SETUP, {"code": totp_code(device)})
    codes_page = client.get(confirmed["Location"])

    assert step["Location"] == SETUP
    content = page.content.decode()
    assert 'src="data:image/svg+xml;base64,' in content
    assert "QR-kode" in content
    assert not device.confirmed, "the device counts only once a code confirmed it"
    assert confirmed.status_code == 302
    assert confirmed["Location"] == CODES
    assert _signed_in(client)
    device.refresh_from_db()
    assert device.confirmed
    assert codes_page.content.decode().count("<li><code>") == 10
    assert '<a class="button button-primary" href="/">' in codes_page.content.decode()
    assert AuditEvent.objects.filter(
        user_id=newcomer.pk, action=AuditAction.CREATE, object_type="otp_totp.totpdevice"
    ).exists()


def test_a_password_alone_never_sees_a_qr_code_the_mailbox_must_be_proven(
    newcomer: User, mailoutbox
) -> None:
    client = Client()
    password_step(client, newcomer.email)

    page = client.get(SETUP).content.decode()
    deliver_queued(to=newcomer.email)

    assert "vi har sendt en kode til ny@demo.ssp" in page
    assert "data:image/svg+xml" not in page
    assert not TOTPDevice.objects.filter(user=newcomer).exists(), "no secret made yet"
    assert [message.to for message in mailoutbox] == [["ny@demo.ssp"]]
    body = mailoutbox[0].body
    assert "Din kode til at sætte totrinslogin op" in mailoutbox[0].subject
    assert "Glemt adgangskode" in body, "what to do if it was not them"
    client.get(SETUP)
    assert deliver_queued(to=newcomer.email) == 0
    assert len(mailoutbox) == 1, "a reload sends no second email"


def test_a_wrong_emailed_code_is_refused_and_counts_towards_the_lockout(
    newcomer: User, mailoutbox
) -> None:
    client = Client()
    password_step(client, newcomer.email)
    client.get(SETUP)
    right = emailed_setup_code(newcomer.email)
    wrong = f"{(int(right.replace(' ', '')) + 1) % 10**8:08d}"

    response = client.post(SETUP, {"code": wrong})
    letters = client.post(SETUP, {"code": "abcd efgh"})

    assert response.status_code == 422
    assert "Koden passer ikke. Brug koden fra den nyeste e-mail." in response.content.decode()
    assert letters.status_code == 422
    assert "otte cifre" in letters.content.decode()
    assert AccessAttempt.objects.get(username=newcomer.email).failures_since_start == 1
    assert "data:image/svg+xml" not in client.get(SETUP).content.decode()


def test_wrong_emailed_codes_lock_the_account(newcomer: User, mailoutbox) -> None:
    client = Client()
    password_step(client, newcomer.email)
    client.get(SETUP)

    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(SETUP, {"code": "0000 0000"}).status_code == 422
    locked = client.post(SETUP, {"code": "0000 0000"})
    right = client.post(SETUP, {"code": emailed_setup_code(newcomer.email)})

    assert locked.status_code == 429
    assert right["Location"] == "/log-ind/", "the half-way state has ended"
    assert password_step(Client(), newcomer.email).status_code == 429


def test_a_code_emailed_to_another_sign_in_does_not_fit(newcomer: User, mailoutbox) -> None:
    first, second = Client(), Client()
    password_step(first, newcomer.email)
    first.get(SETUP)
    code_of_first = emailed_setup_code(newcomer.email)
    password_step(second, newcomer.email)
    second.get(SETUP)
    deliver_queued(to=newcomer.email)

    response = second.post(SETUP, {"code": code_of_first})

    assert len(mailoutbox) == 2
    assert response.status_code == 422


def test_a_new_emailed_code_waits_a_minute_and_replaces_the_old(newcomer: User, mailoutbox) -> None:
    client = Client()
    with time_machine.travel("2026-12-01 09:00:00+01:00", tick=False) as clock:
        password_step(client, newcomer.email)
        client.get(SETUP)
        old = emailed_setup_code(newcomer.email)

        too_soon = client.post(SETUP, {"action": "resend"}, follow=True)
        clock.shift(timedelta(seconds=61))
        again = client.post(SETUP, {"action": "resend"}, follow=True)
        new = emailed_setup_code(newcomer.email)
        refused = client.post(SETUP, {"code": old})
        accepted = client.post(SETUP, {"code": new})

    assert "Vent 60 sekunder, før du prøver igen." in too_soon.content.decode()
    assert "Vi har sendt en ny kode." in again.content.decode()
    assert len(mailoutbox) == 2
    assert refused.status_code == 422
    assert accepted["Location"] == SETUP


class _BrokenMailServer(BaseEmailBackend):
    def send_messages(self, email_messages):  # type: ignore[no-untyped-def]
        raise smtplib.SMTPServerDisconnected("the mail server went away")


def test_a_mail_server_that_is_away_delays_the_code_but_never_the_page(
    newcomer: User,
    settings,
    mailoutbox,  # type: ignore[no-untyped-def]
) -> None:
    """The code goes through the outbox like every email, so the page never waits for the
    mail server: while it fails, the page says the code is on its way, the worker keeps the
    email and tries again, asking for a new code still works after the usual minute, and the
    codes arrive once the server is back."""
    client = Client()
    with time_machine.travel("2026-12-01 09:00:00+01:00", tick=False) as clock:
        password_step(client, newcomer.email)
        settings.EMAIL_BACKEND = f"{__name__}._BrokenMailServer"

        page = client.get(SETUP)
        deliver_queued(to=newcomer.email)  # the worker's first try fails
        clock.shift(timedelta(seconds=61))
        again = client.post(SETUP, {"action": "resend"}, follow=True)
        deliver_queued(to=newcomer.email)
        waiting = list(OutgoingEmail.objects.filter(to=newcomer.email).order_by("pk"))
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        newest = emailed_setup_code(newcomer.email)  # the retries, once the server is back
        accepted = client.post(SETUP, {"code": newest})

    assert page.status_code == 200
    assert f"vi har sendt en kode til {newcomer.email}" in page.content.decode()
    assert "Vi har sendt en ny kode." in again.content.decode()
    assert [(e.status, e.attempts) for e in waiting] == [
        (OutgoingEmailStatus.PENDING, 2),
        (OutgoingEmailStatus.PENDING, 1),
    ]
    assert all("SMTPServerDisconnected" in e.last_error for e in waiting)
    assert len(mailoutbox) == 2, "each queued code is sent once the server is back"
    assert accepted["Location"] == SETUP


def test_a_reset_is_done_even_when_the_notice_cannot_be_emailed(
    personas: Personas,
    settings,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    settings.EMAIL_BACKEND = f"{__name__}._BrokenMailServer"
    admin = Client()
    admin.force_login(personas.admin)
    person = _person(personas.social)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(f"/organisation/person/{person.pk}/nulstil-totrinslogin/")

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=personas.social).exists()


def test_after_a_reset_the_next_sign_in_proves_the_mailbox_before_a_new_app(
    personas: Personas, mailoutbox
) -> None:
    second_factor_reset(user=personas.club, by=personas.admin)
    client = Client()

    step = password_step(client, personas.club.email)
    page = client.get(SETUP).content.decode()

    assert step["Location"] == SETUP
    assert "data:image/svg+xml" not in page
    assert emailed_setup_code(personas.club.email)


# Emails about changes to one's sign-in.


def _notices(mailoutbox, user: User) -> list[str]:  # type: ignore[no-untyped-def]
    return [
        m.body for m in mailoutbox if user.email in m.to and "Ændring af dit login" in m.subject
    ]


def test_setting_up_the_app_is_confirmed_by_email(
    newcomer: User, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    client = Client()
    password_step(client, newcomer.email)
    prove_email(client, newcomer.email)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=newcomer)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(SETUP, {"code": totp_code(device)})

    (notice,) = _notices(mailoutbox, newcomer)
    assert "blev der sat en godkendelsesapp op til totrinslogin på din konto" in notice
    assert "Var det ikke dig" in notice


def test_a_reset_new_recovery_codes_and_a_recovery_sign_in_are_told_by_email(
    personas: Personas, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    client = Client()
    client.force_login(personas.leader)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(CODES, {"code": code_for(personas.leader)})
    codes = recovery_codes_replace(user=personas.leader)
    with django_capture_on_commit_callbacks(execute=True):
        password_step(Client(), personas.leader.email)
        recovery = Client()
        password_step(recovery, personas.leader.email)
        recovery.post(VERIFY, {"code": codes[0]})
    with django_capture_on_commit_callbacks(execute=True):
        second_factor_reset(user=personas.leader, by=personas.admin)

    renewed, signed_in, reset = _notices(mailoutbox, personas.leader)
    assert "fik din konto nye gendannelseskoder" in renewed
    assert "loggede nogen ind på din konto med en af dine gendannelseskoder" in signed_in
    assert f"nulstillede {personas.admin.full_name} totrinslogin på din konto" in reset
    for body in (renewed, signed_in, reset):
        assert codes[1] not in body, "never a code in a notice"


def test_the_setup_page_keeps_the_same_secret_on_reload(newcomer: User) -> None:
    client = Client()
    password_step(client, newcomer.email)
    prove_email(client, newcomer.email)

    first = SECRET.search(client.get(SETUP).content.decode()).group(1)
    second = SECRET.search(client.get(SETUP).content.decode()).group(1)

    assert TOTPDevice.objects.filter(user=newcomer).count() == 1
    assert first == second


def test_a_wrong_setup_code_keeps_the_app_unconfirmed_and_the_user_signed_out(
    newcomer: User,
) -> None:
    client = Client()
    password_step(client, newcomer.email)
    prove_email(client, newcomer.email)
    client.get(SETUP)

    response = client.post(SETUP, {"code": "000000"})
    letters = client.post(SETUP, {"code": "abcdef"})

    assert response.status_code == 422
    assert "Koden passer ikke" in response.content.decode()
    assert letters.status_code == 422
    assert "seks cifre" in letters.content.decode()
    assert not TOTPDevice.objects.get(user=newcomer).confirmed
    assert not _signed_in(client)


def test_a_quick_second_try_at_setting_up_is_asked_to_wait(newcomer: User) -> None:
    client = Client()
    password_step(client, newcomer.email)
    prove_email(client, newcomer.email)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=newcomer)
    client.post(SETUP, {"code": f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"})

    response = client.post(SETUP, {"code": totp_code(device)})

    assert response.status_code == 422
    assert "Vent 1 sekund, før du prøver igen" in response.content.decode()
    assert "Koden passer ikke" not in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert not _signed_in(client)


def test_a_user_with_an_app_cannot_set_up_another_on_the_setup_page(personas: Personas) -> None:
    client = Client()
    password_step(client, personas.consultant.email)

    response = client.get(SETUP)

    assert response["Location"] == VERIFY
    assert TOTPDevice.objects.filter(user=personas.consultant).count() == 1
