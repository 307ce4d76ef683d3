"""Authenticator-app secrets are encrypted at rest with the app's rotatable keys.

Before: `otp_totp_totpdevice.key` held each secret in plain hex (django-otp's storage), so a
database dump or backup gave away every user's codes.
"""

from __future__ import annotations

import importlib
import io

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from ssp.models import EncryptedTOTPDevice, User
from ssp.totp_secrets import TOTPSecretUnreadable
from tests.personas import Personas
from tests.two_factor import code_for, sign_in

pytestmark = pytest.mark.django_db

KNOWN_SECRET = "3132333435363738393031323334353637383930"  # RFC 6238's test secret, in hex


def _stored_keys(user: User) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT key FROM otp_totp_totpdevice WHERE user_id = %s", [user.pk])
        return [row[0] for row in cursor.fetchall()]


def _signed_in(client: Client) -> bool:
    return client.get("/sager/").status_code == 200


def test_the_database_column_holds_no_plain_secret_and_sign_in_still_works(
    personas: Personas,
) -> None:
    device = EncryptedTOTPDevice.objects.get(user=personas.leader, confirmed=True)
    device.key = KNOWN_SECRET
    device.save()

    (stored,) = _stored_keys(personas.leader)
    client = Client()
    answer = sign_in(client, personas.leader.email)

    assert stored.startswith("aes1$")
    assert KNOWN_SECRET not in stored
    assert KNOWN_SECRET.upper() not in stored.upper()
    assert len(stored) <= 80
    assert answer.status_code == 302
    assert _signed_in(client)


def test_every_seeded_demo_secret_is_encrypted(personas: Personas) -> None:
    stored = list(TOTPDevice.objects.values_list("key", flat=True))

    assert stored, "the demo has authenticators"
    assert all(key.startswith("aes1$") for key in stored), stored


def test_a_new_authenticator_set_up_through_the_app_is_stored_encrypted(
    personas: Personas,
) -> None:
    device = EncryptedTOTPDevice.objects.create(user=personas.outsider, name="App")

    (stored,) = _stored_keys(personas.outsider)

    assert stored.startswith("aes1$")
    assert device.bin_key.hex() not in stored


def test_a_new_first_key_keeps_old_secrets_readable_and_rotation_moves_them(
    personas: Personas, settings
) -> None:  # type: ignore[no-untyped-def]
    old_key = settings.SECRET_FIELD_KEYS[0]
    new_key = Fernet.generate_key().decode()
    before = _stored_keys(personas.leader)[0]

    settings.SECRET_FIELD_KEYS = [new_key, old_key]
    still_signs_in = sign_in(Client(), personas.leader.email).status_code
    out = io.StringIO()
    call_command("rotate_totp_secrets", stdout=out)
    moved = int(out.getvalue().split()[0])
    after = _stored_keys(personas.leader)[0]
    settings.SECRET_FIELD_KEYS = [new_key]
    signs_in_with_new_key_only = sign_in(Client(), personas.leader.email).status_code
    settings.SECRET_FIELD_KEYS = [old_key]

    assert still_signs_in == 302
    assert moved == TOTPDevice.objects.count()
    assert after != before
    assert signs_in_with_new_key_only == 302
    with pytest.raises(TOTPSecretUnreadable):
        code_for(personas.leader)


def test_the_migration_encrypts_plain_secrets_and_can_undo_it(personas: Personas) -> None:
    migration = importlib.import_module("ssp.migrations.0011_security_totp_encrypted")
    TOTPDevice.objects.filter(user=personas.leader).update(key=KNOWN_SECRET)  # as on main

    migration.encrypt_existing(apps, None)
    encrypted = _stored_keys(personas.leader)[0]
    signs_in = sign_in(Client(), personas.leader.email).status_code
    migration.decrypt_existing(apps, None)

    assert encrypted.startswith("aes1$")
    assert signs_in == 302
    assert _stored_keys(personas.leader) == [KNOWN_SECRET]
