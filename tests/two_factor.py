"""Signing in through both real steps in tests: the password form, then the authenticator code."""

from __future__ import annotations

import re
import time

from django.core import mail
from django.http import HttpResponse
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from ssp.models import EncryptedTOTPDevice, User
from tests.mail import deliver_queued
from tests.personas import DEMO_PASSWORD


def totp_code(device: TOTPDevice) -> str:
    """The code the device's app shows, for a time step the device has not used yet.

    django-otp refuses a code twice (replay); a test that signs in twice within 30 seconds
    gets the next step's code, which the device's tolerance of one step accepts.
    """
    # Read through the app's class, which decrypts the stored secret (`ssp.totp_secrets`),
    # whichever class the caller found the device with.
    device = EncryptedTOTPDevice.objects.get(pk=device.pk)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if totp.t() <= device.last_t:
        totp.time += device.step * (device.last_t + 1 - totp.t())
    return f"{totp.token():0{device.digits}d}"


def code_for(user: User) -> str:
    return totp_code(EncryptedTOTPDevice.objects.get(user=user, confirmed=True))


def password_step(
    client: Client, email: str, password: str = DEMO_PASSWORD, **extra: str
) -> HttpResponse:
    return client.post("/log-ind/", {"username": email, "password": password, **extra})


def sign_in(
    client: Client, email: str, password: str = DEMO_PASSWORD, **extra: str
) -> HttpResponse:
    """Both steps; returns the answer to the second (a redirect when it succeeded)."""
    first = password_step(client, email, password, **extra)
    assert first.status_code == 302, f"the password step refused {email}: {first.status_code}"
    assert first["Location"] == "/log-ind/kode/", first["Location"]
    user = User.objects.get(email__iexact=email)
    return client.post("/log-ind/kode/", {"code": code_for(user)})


SETUP = "/log-ind/opsaet-app/"
EMAIL_CODE = re.compile(r"^(\d{4} \d{4})$", re.MULTILINE)


def emailed_setup_code(email: str) -> str:
    """The code in the newest set-up email to `email` (Django's test outbox), once the
    worker has delivered what the sign-in queued."""
    deliver_queued(to=email)
    sent = [message for message in mail.outbox if email in message.to]
    assert sent, f"no email to {email}"
    match = EMAIL_CODE.search(sent[-1].body)
    assert match, sent[-1].body
    return match.group(1)


def prove_email(client: Client, email: str) -> None:
    """Past the password step of an account without an app: the emailed code, so the set-up
    page shows the QR code next."""
    page = client.get(SETUP)
    assert page.status_code == 200, page.status_code
    answer = client.post(SETUP, {"code": emailed_setup_code(email)})
    assert answer.status_code == 302, answer.status_code
    assert answer["Location"] == SETUP, answer["Location"]
