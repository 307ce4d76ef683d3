"""Secrets kept in the database (an SMS gateway's token): encrypted at rest with Fernet.

The keys are `SECRET_FIELD_KEYS` (the CPR keys when unset): the first encrypts, all decrypt, so
keys can be rotated. A secret is written once and read only by the code that uses it; pages
never show it back, and logs never name it.
"""

from __future__ import annotations

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings


def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in settings.SECRET_FIELD_KEYS])


def secret_encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode() if value else ""


def secret_decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode() if token else ""
