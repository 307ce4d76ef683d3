"""CPR numbers: validation, masking, encryption at rest and a keyed hash for exact lookup.

A CPR number is never stored or shown in clear text: the database holds a Fernet token and an
HMAC-SHA256 of the digits; pages show the masked form DDMMYY-XXXX. Numbers that fail the old
modulus-11 check are accepted (numbers without it have been issued since 2007); a number
whose first six digits are not a real date is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import date

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

_CPR_PATTERN = re.compile(r"^\s*(\d{6})\s*-?\s*(\d{4})\s*$")


def normalise(value: str) -> str:
    """The ten digits of a CPR number written as DDMMYYXXXX or DDMMYY-XXXX."""
    match = _CPR_PATTERN.match(value or "")
    if match is None:
        raise ValidationError(
            _("Skriv CPR-nummeret som 10 cifre, fx 010203-1234."), code="cpr_format"
        )
    return match.group(1) + match.group(2)


def birth_date(digits: str) -> date:
    """The date of birth a CPR number encodes; the 7th digit and the year give the century."""
    day, month, year2 = int(digits[0:2]), int(digits[2:4]), int(digits[4:6])
    seventh = int(digits[6])
    if seventh <= 3:
        century = 1900
    elif seventh in (4, 9):
        century = 2000 if year2 <= 36 else 1900
    else:  # 5–8
        century = 2000 if year2 <= 57 else 1800
    try:
        return date(century + year2, month, day)
    except ValueError:
        raise ValidationError(
            _("CPR-nummeret begynder ikke med en gyldig dato (DDMMÅÅ)."), code="cpr_date"
        ) from None


def validate(value: str) -> tuple[str, date]:
    """Normalised digits and the birth date; ValidationError for anything a user mistyped."""
    digits = normalise(value)
    born = birth_date(digits)
    if born > timezone.localdate():
        raise ValidationError(
            _("CPR-nummeret angiver en fødselsdato i fremtiden."), code="cpr_future"
        )
    return digits, born


def mask(digits: str) -> str:
    return f"{digits[:6]}-XXXX"


def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in settings.CPR_ENCRYPTION_KEYS])


def encrypt(digits: str) -> str:
    return _fernet().encrypt(digits.encode()).decode()


def decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode()


def lookup_hash(digits: str) -> str:
    """A keyed hash: equal numbers give equal hashes, and without the key it reveals nothing."""
    return hmac.new(settings.CPR_HASH_KEY.encode(), digits.encode(), hashlib.sha256).hexdigest()
