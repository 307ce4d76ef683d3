"""The demo logins' authenticator: one fixed, published secret (`DEMO_TOTP_SECRET`), so the
demo can be tried with any authenticator app, and `demo_code` can print the current code."""

from __future__ import annotations

import time
from base64 import b32decode
from binascii import unhexlify

from django.conf import settings
from django_otp.oath import TOTP

from ssp.models import EncryptedTOTPDevice, User
from ssp.two_factor import DEVICE_NAME, authenticator_of


def demo_authenticator_set(*, user: User) -> EncryptedTOTPDevice:
    """Give a demo login an authenticator with the demo secret (seed_demo; refused in
    production, where a published secret would let anyone past the second step)."""
    if settings.PRODUCTION:
        raise RuntimeError("Demo authenticators are never made in production.")
    key = demo_totp_key()
    device = authenticator_of(user)
    if device is None:
        return EncryptedTOTPDevice.objects.create(
            user=user, name=DEVICE_NAME, key=key, confirmed=True
        )
    if device.hex_key != key:
        device.key = key
        device.save(update_fields=["key"])
    return device


def demo_totp_key() -> str:
    """DEMO_TOTP_SECRET (base32, as authenticator apps take it) as django-otp's hex key."""
    secret = settings.DEMO_TOTP_SECRET.replace(" ", "").upper()
    return b32decode(secret + "=" * (-len(secret) % 8)).hex()


def demo_totp_code(at: float | None = None) -> str:
    """The demo authenticator's code at `at` (now by default), as the app would show it."""
    totp = TOTP(unhexlify(demo_totp_key()))
    totp.time = time.time() if at is None else at
    return f"{totp.token():06d}"
