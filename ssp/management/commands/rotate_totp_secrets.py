"""`manage.py rotate_totp_secrets`: re-encrypt every authenticator-app secret under the first
key of `SECRET_FIELD_KEYS` (and encrypt any plain one). Put the new key first, run this, and
only then remove the old key (`ssp.totp_secrets`)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ssp.totp_secrets import totp_secrets_rotate


class Command(BaseCommand):
    help = "Re-encrypt TOTP secrets under the first key of SECRET_FIELD_KEYS."

    def handle(self, *args: Any, **options: Any) -> None:
        changed = totp_secrets_rotate()
        self.stdout.write(f"{changed} TOTP secret(s) re-encrypted under the first key.")
