"""Hostile strings in the forms anyone can post without signing in: the login and the
password reset. Both answer a refusal with the form again (200), as Django's views do. The
machinery is in tests/fuzzing.py."""

from __future__ import annotations

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzzing import FUZZ_SETTINGS, Endpoint, Refused, post_and_check
from tests.personas import Personas

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
