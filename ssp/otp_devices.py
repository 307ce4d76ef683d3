"""The app's own face of django-otp's TOTP device: the secret encrypted at rest.

A proxy model: the rows stay in django-otp's table and django-otp's code verifies the codes;
only the secret is stored encrypted (`ssp.totp_secrets`) and decrypted where django-otp reads
it (`bin_key`). Imported by `ssp.models`, so it is part of the `ssp` app.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from ssp.totp_secrets import is_encrypted, totp_secret_decrypt, totp_secret_encrypt


class EncryptedTOTPDevice(TOTPDevice):
    """An authenticator app whose secret is encrypted in the database. Every TOTP device the
    app makes or reads goes through this class (a plain `TOTPDevice` would read the stored
    ciphertext as the secret)."""

    class Meta:
        proxy = True
        verbose_name = _("godkendelsesapp")
        verbose_name_plural = _("godkendelsesapps")

    @property
    def bin_key(self) -> bytes:
        return totp_secret_decrypt(self.key)

    @property
    def hex_key(self) -> str:
        return self.bin_key.hex()

    def save(self, *args: Any, **kwargs: Any) -> None:
        # django-otp makes a new device's secret in plain hex (the field's default).
        if self.key and not is_encrypted(self.key):
            self.key = totp_secret_encrypt(self.key)
        super().save(*args, **kwargs)
