"""The archive's encryption: a passphrase the municipality chooses → scrypt → AES-256-GCM.

The passphrase is never stored: the request derives the key (scrypt with a fresh random salt)
and hands it to the worker encrypted under the installation's own keys (`ssp.secrets`), so
neither the database nor Redis ever holds it in clear. Every member holding personal data is
sealed on its own: a fresh 12-byte nonce, then AES-256-GCM with the member's name as
associated data (a member renamed or swapped for another fails to open), stored as
nonce ‖ ciphertext ‖ tag. The manifest carries the salt and scrypt's parameters, never the
key, and a `key_check` (a known text sealed the same way) so a wrong passphrase is refused
before anything is read.
"""

from __future__ import annotations

import base64
import os
import unicodedata
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from django.utils.translation import gettext as _

CIPHER = "AES-256-GCM"
KDF = "scrypt"
# 2**15 × 8 × 128 bytes = 32 MB and about a tenth of a second: OWASP's floor for scrypt.
SCRYPT_N = 2**15
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
NONCE_BYTES = 12
KEY_CHECK_TEXT = b"ssp-municipality-archive key check"
KEY_CHECK_AAD = b"key-check"
PASSPHRASE_MIN_LENGTH = 12


class WrongPassphrase(Exception):
    """The passphrase does not open the archive."""


@dataclass(frozen=True)
class KdfParameters:
    salt: bytes
    n: int = SCRYPT_N
    r: int = SCRYPT_R
    p: int = SCRYPT_P

    @classmethod
    def fresh(cls) -> KdfParameters:
        return cls(salt=os.urandom(SALT_BYTES))

    def as_manifest(self) -> dict[str, object]:
        return {
            "name": KDF,
            "n": self.n,
            "r": self.r,
            "p": self.p,
            "length": 32,
            "salt": base64.b64encode(self.salt).decode(),
        }

    @classmethod
    def from_manifest(cls, data: dict[str, object]) -> KdfParameters:
        if data.get("name") != KDF:
            raise ValueError(f"unknown key derivation {data.get('name')!r}")
        return cls(
            salt=base64.b64decode(str(data["salt"])),
            n=int(data["n"]),  # type: ignore[arg-type]
            r=int(data["r"]),  # type: ignore[arg-type]
            p=int(data["p"]),  # type: ignore[arg-type]
        )


def _normalise(passphrase: str) -> bytes:
    # The same passphrase typed on another keyboard (composed or decomposed å) opens it too.
    return unicodedata.normalize("NFC", passphrase).encode()


def derive_key(passphrase: str, params: KdfParameters) -> bytes:
    kdf = Scrypt(salt=params.salt, length=32, n=params.n, r=params.r, p=params.p)
    return kdf.derive(_normalise(passphrase))


def passphrase_problem(passphrase: str) -> str:
    """Why a passphrase is too weak to protect children's data, or "" when it will do."""
    text = passphrase.strip()
    if len(text) < PASSPHRASE_MIN_LENGTH:
        return _("Adgangsfrasen skal være mindst %(n)d tegn.") % {"n": PASSPHRASE_MIN_LENGTH}
    if len(set(text.lower())) < 6:
        return _("Adgangsfrasen har for få forskellige tegn. Brug fx fire tilfældige ord.")
    return ""


def seal(key: bytes, name: str, data: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, data, name.encode())


def open_sealed(key: bytes, name: str, data: bytes) -> bytes:
    try:
        return AESGCM(key).decrypt(data[:NONCE_BYTES], data[NONCE_BYTES:], name.encode())
    except InvalidTag:
        raise WrongPassphrase(name) from None


def key_check(key: bytes) -> str:
    nonce = os.urandom(NONCE_BYTES)
    sealed = nonce + AESGCM(key).encrypt(nonce, KEY_CHECK_TEXT, KEY_CHECK_AAD)
    return base64.b64encode(sealed).decode()


def key_check_verify(key: bytes, check: str) -> None:
    raw = base64.b64decode(check)
    try:
        opened = AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], KEY_CHECK_AAD)
    except InvalidTag:
        raise WrongPassphrase("key_check") from None
    if opened != KEY_CHECK_TEXT:
        raise WrongPassphrase("key_check")
