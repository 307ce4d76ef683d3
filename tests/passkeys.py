"""A stored passkey for tests that need one without a browser (the browser test makes real
ones with Chromium's virtual authenticator)."""

from __future__ import annotations

import os

from django_otp_webauthn.models import WebAuthnCredential

from ssp.models import User


def stored_passkey(user: User, name: str = "Testnøgle") -> WebAuthnCredential:
    return WebAuthnCredential.objects.create(
        user=user,
        name=name,
        confirmed=True,
        credential_id=os.urandom(32),
        public_key=os.urandom(77),
    )
