"""Signing in with the work email, signing out, and the sign-in wall in front of the app."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.personas import DEMO_PASSWORD, Personas
from tests.two_factor import password_step, sign_in

pytestmark = pytest.mark.django_db

WRONG_LOGIN_MESSAGE = "E-mail eller adgangskode er forkert."


def _log_in(client: Client, email: str, password: str = DEMO_PASSWORD):  # type: ignore[no-untyped-def]
    return password_step(client, email, password)


def test_login_with_email_and_password_redirects_to_the_dashboard(personas: Personas) -> None:
    client = Client()

    response = sign_in(client, personas.consultant.email)

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(personas.consultant.pk)


def test_login_email_is_case_insensitive(personas: Personas) -> None:
    client = Client()

    response = sign_in(client, personas.police.email.upper())

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(personas.police.pk)


def test_wrong_password_shows_the_danish_error_and_keeps_the_email_but_not_the_password(
    personas: Personas,
) -> None:
    client = Client()
    typed_password = "forkert-kodeord-123"

    response = _log_in(client, personas.social.email, typed_password)

    assert response.status_code == 200
    content = response.content.decode()
    assert WRONG_LOGIN_MESSAGE in content
    assert f'value="{personas.social.email}"' in content
    assert typed_password not in content
    assert "_auth_user_id" not in client.session


def test_unknown_email_gets_the_same_answer_as_a_wrong_password(personas: Personas) -> None:
    response = _log_in(Client(), "ingen@demo.ssp")

    assert response.status_code == 200
    assert WRONG_LOGIN_MESSAGE in response.content.decode()


def test_logout_refuses_get(personas: Personas) -> None:
    client = Client()
    client.force_login(personas.consultant)

    response = client.get("/log-af/")

    assert response.status_code == 405
    assert client.get("/").status_code == 200, "a GET to /log-af/ must not sign the user out"


def test_logout_by_post_signs_out_and_returns_to_the_login_page(personas: Personas) -> None:
    client = Client()
    sign_in(client, personas.consultant.email)

    response = client.post("/log-af/")

    assert response.status_code == 302
    assert response["Location"] == "/log-ind/"
    assert "_auth_user_id" not in client.session
    assert client.get("/").status_code == 302


def test_anonymous_visitor_of_the_dashboard_is_sent_to_the_login_page() -> None:
    response = Client().get("/")

    assert response.status_code == 302
    assert response["Location"] == "/log-ind/?next=/"


def test_login_page_is_shown_to_anonymous_visitors() -> None:
    response = Client().get("/log-ind/")

    assert response.status_code == 200
    content = response.content.decode()
    assert 'name="username"' in content
    assert 'type="password"' in content


def test_login_follows_a_safe_next_url(personas: Personas) -> None:
    client = Client()

    response = sign_in(client, personas.consultant.email, next="/tilgaengelighed/")

    assert response.status_code == 302
    assert response["Location"] == "/tilgaengelighed/"


def test_login_ignores_a_next_url_on_another_site(personas: Personas) -> None:
    client = Client()

    response = sign_in(client, personas.consultant.email, next="https://evil.example/")

    assert response.status_code == 302
    assert response["Location"] == "/"
