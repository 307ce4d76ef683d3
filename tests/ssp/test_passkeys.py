"""Passkeys as a second factor, server side: adding one needs a fresh code from the app, the
login ceremony is only for the user half-way through signing in and only with their own
passkeys, a passkey is removed by its owner only, and an administrator's reset removes them
all. Enrolment and sign-in with a real (virtual) authenticator: tests/browser/test_passkeys.py.
"""

from __future__ import annotations

import json

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.test import Client
from django_otp_webauthn.models import WebAuthnCredential

from ssp.models import AuditAction, AuditEvent
from ssp.two_factor import second_factor_reset
from tests.passkeys import stored_passkey
from tests.personas import Personas
from tests.two_factor import code_for, password_step

pytestmark = pytest.mark.django_db

ALLOW = "/konto/adgangsnoegler/tilfoej/"
REGISTER_BEGIN = "/adgangsnoegler/registrering/start/"
LOGIN_BEGIN = "/adgangsnoegler/login/start/"
LOGIN_COMPLETE = "/adgangsnoegler/login/afslut/"


def _json_post(client: Client, url: str, data: dict | None = None):  # type: ignore[no-untyped-def]
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def test_adding_a_passkey_needs_a_code_from_the_app_given_just_now(
    personas: Personas, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # no pause after the wrong code
    client = Client()
    client.force_login(personas.leader)

    before = _json_post(client, REGISTER_BEGIN)
    wrong = client.post(ALLOW, {"passkey-code": "000000"}, follow=True)
    still_refused = _json_post(client, REGISTER_BEGIN)
    client.post(ALLOW, {"passkey-code": code_for(personas.leader)})
    after = _json_post(client, REGISTER_BEGIN)

    assert before.status_code == 403
    assert before.json()["code"] == "enrolment_not_allowed"
    assert "Koden er forkert" in wrong.content.decode()
    assert still_refused.status_code == 403
    assert after.status_code == 200
    options = after.json()
    assert options["rp"]["id"] == "localhost"
    assert options["user"]["name"] == personas.leader.email


def test_the_account_page_offers_passkeys_and_lists_them(personas: Personas) -> None:
    stored_passkey(personas.leader, name="Min bærbare")
    client = Client()
    client.force_login(personas.leader)

    page = client.get("/konto/totrinslogin/").content.decode()

    assert "Adgangsnøgler" in page
    assert "Fjern Min bærbare" in page
    assert 'name="passkey-code"' in page


def test_the_passkey_login_step_needs_the_password_step_and_offers_only_the_users_passkeys(
    personas: Personas,
) -> None:
    own = stored_passkey(personas.leader)
    stored_passkey(personas.social)
    anonymous = Client()
    client = Client()
    password_step(client, personas.leader.email)

    refused = _json_post(anonymous, LOGIN_BEGIN)
    options = _json_post(client, LOGIN_BEGIN)
    page = client.get("/log-ind/kode/").content.decode()

    assert refused.status_code == 403
    assert refused.json()["code"] == "no_sign_in"
    assert options.status_code == 200
    offered = [credential["id"] for credential in options.json()["allowCredentials"]]
    assert len(offered) == 1, f"only the leader's own passkey may be offered: {offered}"
    assert WebAuthnCredential.objects.get(pk=own.pk).user == personas.leader
    assert "Log ind med adgangsnøgle" in page


def test_a_forged_passkey_answer_signs_nobody_in_and_counts_as_a_failed_login(
    personas: Personas,
) -> None:
    stored_passkey(personas.leader)
    client = Client()
    password_step(client, personas.leader.email)
    _json_post(client, LOGIN_BEGIN)

    answer = _json_post(
        client,
        LOGIN_COMPLETE,
        {"id": "AAAA", "rawId": "AAAA", "type": "public-key", "response": {}},
    )

    assert answer.status_code >= 400
    assert client.get("/sager/").status_code == 302, "a forged answer must not sign in"
    assert AccessAttempt.objects.filter(username=personas.leader.email).exists()


def test_the_verify_page_offers_no_passkey_to_a_user_without_one(personas: Personas) -> None:
    client = Client()
    password_step(client, personas.social.email)

    page = client.get("/log-ind/kode/").content.decode()

    assert "Log ind med adgangsnøgle" not in page
    assert "otp_webauthn_config" not in page


def test_a_passkey_is_removed_by_its_owner_who_is_told_by_email(
    personas: Personas, django_capture_on_commit_callbacks
) -> None:
    passkey = stored_passkey(personas.leader)
    owner = Client()
    owner.force_login(personas.leader)
    other = Client()
    other.force_login(personas.admin)
    url = f"/konto/adgangsnoegler/{passkey.pk}/fjern/"

    refused = other.post(url)
    with django_capture_on_commit_callbacks(execute=True):
        removed = owner.post(url)

    assert refused.status_code == 404
    assert removed.status_code == 302
    assert not WebAuthnCredential.objects.filter(pk=passkey.pk).exists()
    assert AuditEvent.objects.filter(
        user_id=personas.leader.pk, action=AuditAction.DELETE, purpose="Adgangsnøgle fjernet"
    ).exists()
    assert any(
        "adgangsnøgle blev fjernet" in message.body
        for message in mail.outbox
        if personas.leader.email in message.to
    )


def test_an_administrators_reset_removes_every_passkey(personas: Personas) -> None:
    stored_passkey(personas.social, name="Telefon")
    stored_passkey(personas.social, name="Nøgle")

    second_factor_reset(user=personas.social, by=personas.admin)

    assert not WebAuthnCredential.objects.filter(user=personas.social).exists()
