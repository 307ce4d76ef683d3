"""Authenticator-app (TOTP) secrets encrypted at rest.

django-otp keeps a TOTP device's secret in `otp_totp_totpdevice.key` as plain hex: anyone who
reads the table or a backup could compute every user's codes. `EncryptedTOTPDevice` (a proxy
of django-otp's model: the same table and rows, the same verification code) stores the key
encrypted instead and decrypts it only where django-otp asks for `bin_key`.

The keys are the app's key-rotation scheme for secrets in the database, `SECRET_FIELD_KEYS`
(the CPR keys when unset; `ssp.secrets`): the first encrypts, every key decrypts, so a new key
put first keeps older secrets readable, and `totp_secrets_rotate` re-encrypts them under it.
The column holds at most 80 characters (django-otp's migration), too few for a Fernet token
of a 20-byte secret, so each Fernet key is stretched with HKDF (SHA-256, a purpose label of
its own) into an AES-256-GCM key: `aes1$` + base64url(nonce ‖ ciphertext ‖ tag), 69
characters for django-otp's 20-byte secrets, authenticated, a fresh nonce each time.
"""

from __future__ import annotations

import base64
import functools
import os
from binascii import unhexlify

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

PREFIX = "aes1$"
_PURPOSE = b"ssp.totp-secret.v1"
_NONCE_BYTES = 12
MAX_STORED_LENGTH = 80  # django-otp's column


class TOTPSecretUnreadable(Exception):
    """No key in SECRET_FIELD_KEYS decrypts the stored secret (a key was removed too soon)."""


@functools.lru_cache(maxsize=8)
def _ciphers(keys: tuple[str, ...]) -> tuple[AESGCM, ...]:
    return tuple(
        AESGCM(
            HKDF(algorithm=SHA256(), length=32, salt=None, info=_PURPOSE).derive(
                base64.urlsafe_b64decode(key.encode())
            )
        )
        for key in keys
    )


def _current_ciphers() -> tuple[AESGCM, ...]:
    return _ciphers(tuple(settings.SECRET_FIELD_KEYS))


def is_encrypted(stored: str) -> bool:
    return stored.startswith(PREFIX)


def totp_secret_encrypt(hex_key: str) -> str:
    """django-otp's hex secret, encrypted under the first key."""
    nonce = os.urandom(_NONCE_BYTES)
    sealed = _current_ciphers()[0].encrypt(nonce, unhexlify(hex_key), _PURPOSE)
    stored = PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode().rstrip("=")
    if len(stored) > MAX_STORED_LENGTH:
        raise ValueError("The TOTP secret is too long to store encrypted (at most 30 bytes).")
    return stored


def _open(stored: str) -> tuple[bytes, int]:
    """The secret and the index of the key that opened it."""
    data = stored.removeprefix(PREFIX)
    raw = base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))
    nonce, sealed = raw[:_NONCE_BYTES], raw[_NONCE_BYTES:]
    for index, cipher in enumerate(_current_ciphers()):
        try:
            return cipher.decrypt(nonce, sealed, _PURPOSE), index
        except InvalidTag:
            continue
    raise TOTPSecretUnreadable("no key in SECRET_FIELD_KEYS opens this TOTP secret")


def totp_secret_decrypt(stored: str) -> bytes:
    """The binary secret. A plain hex key (a row from before the migration that encrypts
    them) still reads, so nobody is locked out mid-deployment; saving encrypts it."""
    if not is_encrypted(stored):
        return unhexlify(stored)
    return _open(stored)[0]


def totp_secrets_rotate() -> int:
    """Re-encrypt every TOTP secret that is plain or under an older key with the first key;
    returns how many changed. Run after putting a new key first, before removing the old."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    changed = 0
    for pk, stored in TOTPDevice.objects.values_list("pk", "key").iterator():
        if is_encrypted(stored) and _open(stored)[1] == 0:
            continue
        TOTPDevice.objects.filter(pk=pk, key=stored).update(
            key=totp_secret_encrypt(totp_secret_decrypt(stored).hex())
        )
        changed += 1
    return changed
