"""The demo logins share one published authenticator secret: `seed_demo` prints it,
`demo_code` prints its current code, and that code completes a demo persona's sign-in."""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import Client

from devtools.demo.two_factor import demo_authenticator_set, demo_totp_code, demo_totp_key
from ssp.models import EncryptedTOTPDevice
from tests.personas import Personas
from tests.two_factor import password_step

pytestmark = pytest.mark.django_db

VERIFY = "/log-ind/kode/"


def test_demo_logins_have_an_authenticator_with_the_printed_secret(personas: Personas) -> None:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)

    device = EncryptedTOTPDevice.objects.get(user=personas.leader, confirmed=True)

    assert device.hex_key == demo_totp_key()
    assert demo_totp_key() not in device.key, "the demo secret is stored in plain"
    assert settings.DEMO_TOTP_SECRET in out.getvalue()
    code_out = io.StringIO()
    call_command("demo_code", stdout=code_out)
    assert code_out.getvalue().split()[0] == demo_totp_code()


def test_the_demo_code_signs_a_demo_persona_in(personas: Personas) -> None:
    client = Client()
    password_step(client, personas.police2.email)

    response = client.post(VERIFY, {"code": demo_totp_code()})

    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_demo_codes_are_refused_in_production(settings) -> None:  # type: ignore[no-untyped-def]
    settings.PRODUCTION = True

    with pytest.raises(CommandError):
        call_command("demo_code", stdout=io.StringIO())


def test_no_demo_authenticator_is_made_in_production(settings, personas: Personas) -> None:  # type: ignore[no-untyped-def]
    settings.PRODUCTION = True

    with pytest.raises(RuntimeError, match="never made in production"):
        demo_authenticator_set(user=personas.leader)
