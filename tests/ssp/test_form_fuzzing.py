"""Hostile strings in the forms anyone can post without signing in: the login, the code
forms of its second step, and the password reset. The login and the reset answer a refusal
with the form again (200), as Django's views do; the code forms with 422. The machinery is in
tests/fuzzing.py."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken
from hypothesis import given
from hypothesis import strategies as st

from ssp.models import User
from tests.fuzzing import FUZZ_SETTINGS, Endpoint, Refused, assert_not_live, post_and_check
from tests.personas import DEMO_PASSWORD, Personas
from tests.two_factor import password_step, prove_email

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    Endpoint(
        "login",
        None,
        lambda world: "/log-ind/",
        fields={"username": Refused(), "password": Refused()},
        refused_status=200,
    ),
    Endpoint(
        "login_of_a_real_account_with_a_hostile_password",
        None,
        lambda world: "/log-ind/",
        fields={"password": Refused()},
        base=lambda world: {"username": "konsulent@demo.ssp"},
        refused_status=200,
    ),
    Endpoint(
        "password_reset",
        None,
        lambda world: "/glemt-adgangskode/",
        fields={"email": Refused()},
        refused_status=200,
    ),
]


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
@FUZZ_SETTINGS
@given(data=st.data())
def test_hostile_input_is_refused_and_never_rendered_live(
    client: Client, personas: Personas, endpoint: Endpoint, data: st.DataObject
) -> None:
    post_and_check(client, endpoint, None, data.draw(endpoint.values()))


@pytest.mark.parametrize("form", ["app code", "emailed code", "new app"])
@FUZZ_SETTINGS
@given(code=Refused().strategy())
def test_hostile_codes_in_the_second_step_are_refused_and_never_rendered_live(
    personas: Personas, form: str, code: str
) -> None:
    """The code forms after the password step: an existing account's, and a newcomer's before
    (the emailed code) and after (the app's first code) proving the mailbox."""
    with transaction.atomic():
        email, step = personas.consultant.email, "/log-ind/kode/"
        if form != "app code":
            email, step = "fuzz-ny@demo.ssp", "/log-ind/opsaet-app/"
            User.objects.create_user(email, password=DEMO_PASSWORD, full_name="Fie Fuzz")
        client = Client()
        assert password_step(client, email)["Location"] == step
        if form == "emailed code":
            client.get(step)
        elif form == "new app":
            prove_email(client, email)

        response = client.post(step, {"code": code})

        where = f"POST {step} with {code[:60]!r}"
        assert response.status_code == 422, f"{where} answered {response.status_code}"
        assert_not_live(response, where)
        assert "_auth_user_id" not in client.session, f"{where} signed the user in"
        transaction.set_rollback(True)


@FUZZ_SETTINGS
@given(code=Refused().strategy())
def test_hostile_codes_for_new_recovery_codes_are_refused_and_never_rendered_live(
    personas: Personas, code: str
) -> None:
    """The signed-in form that asks for the app's code before making new recovery codes."""
    with transaction.atomic():
        client = Client()
        client.force_login(personas.police)

        response = client.post("/konto/totrinslogin/", {"code": code})

        where = f"POST /konto/totrinslogin/ with {code[:60]!r}"
        assert response.status_code == 422, f"{where} answered {response.status_code}"
        assert_not_live(response, where)
        assert not StaticToken.objects.filter(device__user=personas.police).exists(), where
        transaction.set_rollback(True)
