"""Who gets what on the platform's own signed-in URLs (ssp.urls, outside any app namespace):
a table of (persona, URL, method, expected status).

These URLs belong to no municipality or object, so nothing is invisible (no 404): every
signed-in persona gets the same answer, and anonymous visitors are sent to the login page.
The dashboard is in the meetings table; the public pages (login, password reset, health, …)
are in the table of public URLs in tests/test_url_permission_coverage.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client

from tests.personas import PERSONA_NAMES, Personas

pytestmark = pytest.mark.django_db

PERSONAS = PERSONA_NAMES


@dataclass(frozen=True)
class Row:
    name: str
    method: str
    url: Callable[[], str]
    expected: dict[str, int]


def _statuses(default: int, **overrides: int) -> dict[str, int]:
    expected = dict.fromkeys(PERSONAS, default)
    expected.update(overrides)
    return expected


ROWS = [
    # "Bliv logget ind" on the session warning: any signed-in user, by POST only.
    Row("session_keepalive", "POST", lambda: "/session/forlaeng/", _statuses(204)),
    Row("session_keepalive", "GET", lambda: "/session/forlaeng/", _statuses(405)),
    # One's own sign-in security: status, and new recovery codes (shown once), which need a
    # code from the app: none given here, so the form is shown again.
    Row("two_factor_recovery_codes", "GET", lambda: "/konto/totrinslogin/", _statuses(200)),
    Row("two_factor_recovery_codes", "POST", lambda: "/konto/totrinslogin/", _statuses(422)),
]

CASES = [
    pytest.param(row, persona, id=f"{row.method}-{row.name}-{index}-{persona}")
    for index, row in enumerate(ROWS)
    for persona in (*PERSONAS, "anonymous")
]


@pytest.mark.parametrize(("row", "persona"), CASES)
def test_permission_table(row: Row, persona: str, personas: Personas, client: Client) -> None:
    url = row.url()
    if persona == "anonymous":
        expected = 302
    else:
        client.force_login(personas[persona])
        expected = row.expected[persona]

    response = client.post(url) if row.method == "POST" else client.get(url)

    assert response.status_code == expected, (
        f"{persona} {row.method} {url}: expected {expected}, got {response.status_code}"
    )
    if persona == "anonymous":
        assert response["Location"].startswith("/log-ind/?next="), response["Location"]
