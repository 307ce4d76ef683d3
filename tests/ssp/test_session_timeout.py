"""Sessions end after 30 minutes without a request and 12 hours after signing in, however
active the user is; the user lands on the login page with a message and a way back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client

from tests.personas import Personas

pytestmark = pytest.mark.django_db

START = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
IDLE_MESSAGE = "Du er logget af, fordi du ikke har brugt siden i 30 minutter."
AGE_MESSAGE = "Du er logget af, fordi du har været logget ind i 12 timer."


def test_thirty_minutes_without_a_request_signs_the_user_out(
    client: Client, personas: Personas
) -> None:
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(personas.consultant)
        assert client.get("/").status_code == 200

        clock.shift(timedelta(minutes=31))
        response = client.get("/sager/?status=open")

        assert response.status_code == 302
        assert response["Location"] == "/log-ind/?next=%2Fsager%2F%3Fstatus%3Dopen"
        login_page = client.get(response["Location"]).content.decode()
        assert IDLE_MESSAGE in login_page
        assert client.get("/").status_code == 302, "the session must be gone"


def test_a_request_within_thirty_minutes_keeps_the_session(
    client: Client, personas: Personas
) -> None:
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(personas.consultant)
        client.get("/")
        for _ in range(4):
            clock.shift(timedelta(minutes=29))
            assert client.get("/").status_code == 200


def test_twelve_hours_after_signing_in_the_session_ends_however_active(
    client: Client, personas: Personas
) -> None:
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(personas.consultant)
        client.get("/")
        for _ in range(35):  # a request every 20 minutes for 11 h 40 min
            clock.shift(timedelta(minutes=20))
            assert client.get("/").status_code == 200

        clock.shift(timedelta(minutes=21))
        response = client.get("/", follow=True)

    assert response.redirect_chain[-1][0] == "/log-ind/?next=%2F"
    assert AGE_MESSAGE in response.content.decode()


def test_an_htmx_request_after_the_idle_limit_is_sent_to_the_login_page(
    client: Client, personas: Personas
) -> None:
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(personas.consultant)
        client.get("/")
        clock.shift(timedelta(minutes=31))

        response = client.get("/moeder/", headers={"HX-Request": "true"})

    assert response.status_code == 204
    assert response["HX-Redirect"] == "/log-ind/?next=%2Fmoeder%2F"


def test_continuing_from_the_warning_counts_as_activity(client: Client, personas: Personas) -> None:
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(personas.consultant)
        client.get("/")
        clock.shift(timedelta(minutes=29))
        assert client.post("/session/forlaeng/").status_code == 204
        clock.shift(timedelta(minutes=29))

        assert client.get("/").status_code == 200


def test_the_keepalive_needs_a_session_and_a_post(client: Client, personas: Personas) -> None:
    response = client.post("/session/forlaeng/")
    assert response.status_code == 302
    assert response["Location"].startswith("/log-ind/?next=")

    client.force_login(personas.consultant)
    assert client.get("/session/forlaeng/").status_code == 405


def test_every_signed_in_page_carries_the_warning_with_the_limits(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.police)

    page = client.get("/").content.decode()

    assert 'data-idle-seconds="1800"' in page
    assert 'data-warning-seconds="60"' in page
    assert "Du bliver snart logget af" in page
    assert "Du bliver snart logget af" not in Client().get("/log-ind/").content.decode()
